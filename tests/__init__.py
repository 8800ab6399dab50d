# Passwords in tests are hashed with MD5: argon2's deliberate slowness would cost more than the
# tests. The per-test settings (conftest) and the per-module world (personas) share this.
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
