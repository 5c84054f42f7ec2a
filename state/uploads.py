"""What upload handlers share: telling the picker's files from a form's data, and
reading the picked files before the transaction that writes them."""

from portal_app.services.documents import IncomingFile


def uploads_and_form(files) -> tuple[list, dict | None]:
    """(the uploaded files, None) from the picker, or ([], the form) for a form's data."""
    if isinstance(files, dict):
        return [], files
    return (files if isinstance(files, list) else []), None


async def read_uploads(uploads: list, max_request_bytes: int) -> list[IncomingFile] | str:
    """The picked files as IncomingFile, or why they are refused. Reading stops
    once they add up to more than one request may carry; the service checks
    each file (size, count, type by content) before anything is written."""
    incoming, total = [], 0
    for upload in uploads:
        if not hasattr(upload, "read"):
            continue
        data = await upload.read()
        total += len(data)
        if total > max_request_bytes:
            return f"These files add up to more than {max_request_bytes // (1024 * 1024)} MB."
        incoming.append(IncomingFile(filename=str(getattr(upload, "name", "") or "file"),
                                     data=bytes(data)))
    return incoming
