"""Tests of core: documents, imports, exports, uploads, login lock, money inputs."""
