"""The one upload handler: files reach the CSV import only, and no more of one than it can take."""

from __future__ import annotations

from django.core.exceptions import TooManyFilesSent
from django.core.files.uploadhandler import TemporaryFileUploadHandler

from journal.imports.csv_import import MAX_BYTES

# The only view that takes a file (journal/imports/views.py).
IMPORT_VIEW = "journal:incident-import"


class ImportOnlyUploadHandler(TemporaryFileUploadHandler):
    """A file sent to any other page is refused with 400 before it is read.

    Past the import's limit the rest of the file is read but not kept, so a huge upload fills
    no disk; its size is still counted, so the form can say how big it was.
    """

    def new_file(self, *args, **kwargs) -> None:
        match = getattr(self.request, "resolver_match", None)
        if match is None or match.view_name != IMPORT_VIEW:
            raise TooManyFilesSent("Leanlog takes a file on the CSV import page only.")
        self.kept = 0
        super().new_file(*args, **kwargs)

    def receive_data_chunk(self, raw_data: bytes, start: int) -> None:
        self.kept += len(raw_data)
        if self.kept <= MAX_BYTES + len(raw_data):
            self.file.write(raw_data)
