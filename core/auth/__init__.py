"""Users with roles, their sessions, devices and one-time enrolment codes (server side)."""
