"""SIKLA — Sistem Informasi Kabupaten/Kota Layak Anak."""

__version__ = "0.1.0"
