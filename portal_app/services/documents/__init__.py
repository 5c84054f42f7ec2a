"""Documents exchanged between the business and a client record.

Staff share files with a client (`share_documents`); a client with the upload
permission sends files to the business (`upload_documents`). Every file is
checked before anything is written: an allow-list of types recognised by
their content (the extension only has to agree), a size per file and per
request, and a sanitised display name. The bytes go to private storage under
a random name (`providers.storage`); the row keeps the metadata. Every id a
client gives is checked for ownership (`get_document_for_client`).

One module per concern, re-exported here so callers write
`document_service.<name>`:
- `file_checks`: types recognised by content, sizes and counts (`check_files`);
- `names`: file names, titles and messages cleaned, sizes for people;
- `sharing`: writing (share, upload, message attachments, delete, replace);
- `queries`: reading, the ownership check, downloads counted as views.
"""

from portal_app.services.documents.file_checks import (
    ALLOWED_TYPES_TEXT,
    FILE_TYPES,
    MAX_FILES,
    FileType,
    IncomingFile,
    check_files,
    sniff_type,
)
from portal_app.services.documents.names import (
    MAX_MESSAGE,
    MAX_NAME,
    MAX_TITLE,
    MB,
    clean_filename,
    format_size,
)
from portal_app.services.documents.queries import (
    NO_DOCUMENT,
    DocumentRow,
    client_document_rows,
    get_document,
    get_document_for_client,
    list_client_documents,
    new_document_count,
    record_view,
    storage_totals,
)
from portal_app.services.documents.sharing import (
    NO_CLIENT,
    attach_to_message,
    delete_document,
    replace_document,
    share_documents,
    upload_documents,
)

__all__ = [
    "ALLOWED_TYPES_TEXT", "FILE_TYPES", "MAX_FILES", "MAX_MESSAGE", "MAX_NAME", "MAX_TITLE",
    "MB", "NO_CLIENT", "NO_DOCUMENT", "DocumentRow", "FileType", "IncomingFile",
    "attach_to_message", "check_files", "clean_filename", "client_document_rows",
    "delete_document", "format_size", "get_document", "get_document_for_client",
    "list_client_documents", "new_document_count", "record_view", "replace_document",
    "share_documents", "sniff_type", "storage_totals", "upload_documents",
]
