"""The test suite: tests/<app>/ mirror the apps, tests/platform/ the cross-cutting."""
