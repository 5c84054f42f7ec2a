"""Looking after the stored files as a whole: which names the database refers to
(`references`), removing the files nothing refers to (`gc`), copying local files to
a bucket and switching to it (`migrate`), and what a backup must also cover
(`backup_notes`). Used by `portal storage …`, `portal backup` and a daily job."""
