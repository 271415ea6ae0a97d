"""The benchmark app, installed only by `config.settings.bench` and the tests."""

from django.apps import AppConfig


class BenchConfig(AppConfig):
    name = "bench"
    verbose_name = "Benchmark"
