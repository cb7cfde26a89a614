"""The incident model: Incident objects built from valid documents, and their JSON/CSV form."""
