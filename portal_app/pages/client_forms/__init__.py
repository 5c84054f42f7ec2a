"""The client's forms: the list (/forms) and one form (/forms/form?id=)."""
