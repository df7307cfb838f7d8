"""E-mail from Butik: SMTP settings, messages with PDF attachments, and the documents' e-mails."""
