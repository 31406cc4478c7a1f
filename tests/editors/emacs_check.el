;;; emacs_check.el --- open a blueprint as a user would and report what eglot shows.
;; Usage: emacs --batch --eval '(package-initialize)' -l SNIPPET.el -l emacs_check.el FILE
;; Prints one line of JSON and exits.
(require 'json)
(find-file (car command-line-args-left))
(setq command-line-args-left nil)
;; eglot-ensure connects after the first command; batch mode runs no command loop.
(run-hooks 'post-command-hook)
(let ((deadline (+ (float-time) 60)))
  (while (and (< (float-time) deadline)
              (not (and (fboundp 'flymake-diagnostics) (flymake-diagnostics))))
    (accept-process-output nil 0.1)))
(princ (json-encode
        `((version . ,emacs-version)
          (mode . ,(symbol-name major-mode))
          (comment_start . ,comment-start)
          (server . ,(if (and (fboundp 'eglot-current-server) (eglot-current-server)) t :json-false))
          (messages . ,(vconcat (mapcar #'flymake-diagnostic-text
                                        (and (fboundp 'flymake-diagnostics)
                                             (flymake-diagnostics))))))))
(terpri)
(kill-emacs 0)
