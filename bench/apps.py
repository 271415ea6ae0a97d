"""The benchmark app, installed only by `config.settings.bench` and the test settings."""

from django.apps import AppConfig


class BenchConfig(AppConfig):
    name = "bench"
    verbose_name = "Benchmark"
