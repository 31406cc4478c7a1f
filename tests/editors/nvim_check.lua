-- Run after a blueprint is opened: wait (up to 60 s) for the language server's diagnostics,
-- then print one JSON line of what the editor shows and quit.
local function clients()
  if vim.lsp.get_clients then return vim.lsp.get_clients({ bufnr = 0 }) end
  return vim.tbl_values(vim.lsp.buf_get_clients(0)) -- Neovim before 0.10
end
local function codes()
  local out = {}
  for _, d in ipairs(vim.diagnostic.get(0)) do table.insert(out, tostring(d.code)) end
  return out
end
vim.wait(60000, function() return #codes() > 0 end, 100)
local names = {}
for _, client in ipairs(clients()) do table.insert(names, client.name) end
local messages = {}
for _, d in ipairs(vim.diagnostic.get(0)) do table.insert(messages, d.message) end
local v = vim.version()
io.stdout:write(vim.fn.json_encode({
  version = string.format("%d.%d.%d", v.major, v.minor, v.patch),
  filetype = vim.bo.filetype,
  commentstring = vim.bo.commentstring,
  clients = names,
  codes = codes(),
  messages = messages,
}) .. "\n")
vim.cmd("qa!")
