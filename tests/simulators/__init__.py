"""Local simulators of the vendors' HTTP APIs (real servers on 127.0.0.1) for tests and the demo."""
