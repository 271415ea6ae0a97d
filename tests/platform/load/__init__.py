"""The locust load test (locustfile and form reading) run by test_load.py."""
