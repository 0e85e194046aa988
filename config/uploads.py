"""Uploads stop being stored once a file passes the largest size any form of the portal accepts."""

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.files.uploadhandler import FileUploadHandler


def largest_accepted_upload():
    return max(settings.APPENDIX_MAX_BYTES, settings.APPENDIX_MAX_DOCUMENT_BYTES, settings.EVIDENCE_MAX_BYTES)


class SizeLimitUploadHandler(FileUploadHandler):
    """First of ``FILE_UPLOAD_HANDLERS``: counts each file's bytes and, past the largest accepted
    size, withholds the rest from the handlers that store it, so a 2 GB file is not written to disk
    before its form refuses it. Such a file reaches the form empty but with its real size, and the
    form's size check says how large a file may be."""

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.received = 0
        self.limit = largest_accepted_upload()

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        return raw_data if self.received <= self.limit else None

    def file_complete(self, file_size):
        if self.received <= self.limit:
            return None  # the next handler returns the stored file
        oversized = SimpleUploadedFile(self.file_name, b"", self.content_type)
        oversized.size = self.received
        return oversized
