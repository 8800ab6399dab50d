"""The public cache's versions (`core.public_cache`): a change moves them on, at once and on
commit; a version the cache has lost never brings back a page kept under an earlier one; the
bumps on commit come once per transaction and scope, however many rows it audits."""

import time
from datetime import UTC, datetime

import time_machine
from django.core.cache import cache
from django.db import connection, transaction
from django.utils import translation

from sikla.core import public_cache
from sikla.ops.replica import reading_from_replica

KUPANG = "53.71"


def built(value):
    return lambda: value


def test_a_change_moves_the_version_on_at_once(db):
    assert public_cache.get_or_build("uji", KUPANG, built("lama")) == "lama"
    assert public_cache.get_or_build("uji", KUPANG, built("baru")) == "lama"  # kept

    public_cache.changed(KUPANG + ".1001")  # a kelurahan of Kupang: Kupang's pages

    assert public_cache.get_or_build("uji", KUPANG, built("baru")) == "baru"
    assert public_cache.get_or_build("uji", "11.08", built("lain")) == "lain"
    assert public_cache.get_or_build("uji-daftar", "", built("daftar")) == "daftar"


def test_a_lost_version_never_brings_back_a_page_kept_under_an_earlier_one(db):
    """Redis evicting under memory pressure, the database cache culling its table or expiring
    a key: the version starts again, but never at a number a kept page carries."""
    assert public_cache.get_or_build("uji", KUPANG, built("lama")) == "lama"
    public_cache.changed(KUPANG)
    assert public_cache.get_or_build("uji", KUPANG, built("kedua")) == "kedua"

    for scope in (KUPANG, public_cache.GLOBAL):
        cache.delete(public_cache._version_key(scope))  # lost

    assert public_cache.get_or_build("uji", KUPANG, built("baru")) == "baru"
    public_cache.changed(KUPANG)
    assert public_cache.get_or_build("uji", KUPANG, built("sesudah")) == "sesudah"


def test_the_bumps_on_commit_come_once_per_transaction_and_scope(db):
    def pending():
        return [f.scopes for _ids, f, _robust in connection.run_on_commit if hasattr(f, "scopes")]

    with transaction.atomic():
        before = public_cache.versions(KUPANG)[0]
        for _ in range(3):
            public_cache.changed(KUPANG)
        public_cache.changed("11.08")
        assert public_cache.versions(KUPANG)[0] == before + 3  # at once, every time
        assert pending() == [
            (public_cache.EVERYTHING, KUPANG),
            (public_cache.EVERYTHING, "11.08"),
        ]
        with transaction.atomic():  # a savepoint rolled back takes its bump on commit along
            public_cache.changed("52.01")
            transaction.set_rollback(True)
        assert len(pending()) == 2


def test_a_value_kept_in_the_process_is_the_same_object_until_its_kab_kota_changes(db):
    """`kept_in_process`: one object for every request while the versions hold (nothing
    unpickled), built again after a change of its kab/kota or of the catalog, in each language
    apart, and never more than KEPT.size of them."""
    first = public_cache.kept_in_process("uji", KUPANG, lambda: ["nilai"])
    assert public_cache.kept_in_process("uji", KUPANG, lambda: ["lain"]) is first

    public_cache.changed("11.08")  # another kab/kota
    assert public_cache.kept_in_process("uji", KUPANG, lambda: ["lain"]) is first
    public_cache.changed(KUPANG)
    assert public_cache.kept_in_process("uji", KUPANG, lambda: ["baru"]) == ["baru"]
    public_cache.changed("")  # the catalog or the regions
    assert public_cache.kept_in_process("uji", KUPANG, lambda: ["katalog"]) == ["katalog"]
    with translation.override("en"):
        assert public_cache.kept_in_process("uji", KUPANG, lambda: ["english"]) == ["english"]
    assert public_cache.kept_in_process("uji", KUPANG, lambda: ["lain"]) == ["katalog"]

    for n in range(public_cache.KEPT.size + 5):
        public_cache.kept_in_process(f"uji-{n}", KUPANG, lambda n=n: n)
    assert len(public_cache.KEPT) == public_cache.KEPT.size
    assert public_cache.kept_in_process("uji-0", KUPANG, lambda: "lagi") == "lagi"  # dropped


def test_what_was_built_from_the_replica_is_kept_a_minute_only(db, settings):
    """The replica may not yet have replayed the change that moved the versions on: what a
    page read from it is kept a minute (REPLICA_TTL), not until the next change."""
    settings.READ_REPLICA = True
    with time_machine.travel(datetime(2026, 6, 1, 10, 0, tzinfo=UTC), tick=False) as clock:
        with reading_from_replica():
            assert public_cache.ttl() == public_cache.REPLICA_TTL
            assert public_cache.get_or_build("uji-replika", KUPANG, built("lama")) == "lama"
        assert public_cache.ttl() == public_cache.TTL
        assert public_cache.get_or_build("uji-replika", KUPANG, built("baru")) == "lama"
        clock.shift(public_cache.REPLICA_TTL + 1)
        assert public_cache.get_or_build("uji-replika", KUPANG, built("baru")) == "baru"
        clock.shift(public_cache.REPLICA_TTL + 1)  # built from the primary: kept longer
        assert public_cache.get_or_build("uji-replika", KUPANG, built("lain")) == "baru"


def test_a_pickled_keep_hands_each_request_a_copy_of_its_own(db):
    """A kept model row (the kab/kota of a URL) may be changed by the view that reads it: with
    `pickled`, what one request changes is never seen by the next."""
    rows = public_cache.Kept(10, pickled=True, per_language=False)
    first = rows.get("baris", KUPANG, lambda: {"nama": "Kota Kupang"})
    first["nama"] = "diubah di satu permintaan"
    assert rows.get("baris", KUPANG, lambda: {"nama": "lain"}) == {"nama": "Kota Kupang"}
    with translation.override("en"):  # one copy for every language
        assert rows.get("baris", KUPANG, lambda: {"nama": "lain"}) == {"nama": "Kota Kupang"}


def test_a_slow_item_never_built_is_built_once_while_the_others_wait(db):
    """A cold cache (a new deployment, a restarted Redis) and eight visitors of a large
    kab/kota at once: one builds its counts, the seven others wait for them and get them,
    rather than eight builds of seconds each."""
    import threading

    builds = []

    def build():
        builds.append(1)
        time.sleep(0.3)  # the disclosure control of a kab/kota of 850 villages takes seconds
        return "hitungan"

    got = []

    def visit():
        got.append(public_cache.get_or_refresh("uji-dingin", KUPANG, build, refresh=lambda: None))

    visitors = [threading.Thread(target=visit) for _ in range(8)]
    for visitor in visitors:
        visitor.start()
    for visitor in visitors:
        visitor.join(10)
    assert got == ["hitungan"] * 8
    assert len(builds) == 1


def test_a_failed_first_build_lets_a_waiting_request_build_it(db):
    """The builder failed: whoever waited for it builds the item itself, without waiting out
    the whole `BUILD_WAIT`."""
    import threading

    started = threading.Event()

    def failing():
        started.set()
        time.sleep(0.2)
        raise RuntimeError("basis data terputus")

    failed = []

    def first():
        try:
            public_cache.get_or_refresh("uji-gagal", KUPANG, failing, refresh=lambda: None)
        except RuntimeError as error:
            failed.append(error)

    builder = threading.Thread(target=first)
    builder.start()
    assert started.wait(5)
    begun = time.monotonic()
    value = public_cache.get_or_refresh("uji-gagal", KUPANG, built("pulih"), refresh=lambda: None)
    builder.join(5)
    assert value == "pulih" and failed
    assert time.monotonic() - begun < public_cache.BUILD_WAIT / 2
