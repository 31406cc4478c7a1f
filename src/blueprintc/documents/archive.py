"""Zip archives with reproducible bytes: the workbooks (``spreadsheets``) and the Word
document (``word``) are zips whose writers stamp each entry with the current time."""

from __future__ import annotations

import io
import zipfile

ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # the earliest a zip entry can carry


def repack(data: bytes) -> bytes:
    """The same zip with every entry stamped ``ZIP_TIME``, in the order written."""
    output = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o600 << 16
            target.writestr(entry, source.read(info.filename))
    return output.getvalue()
