"""Tests of the public site (cms): pages, public figures, page cache, moderation."""
