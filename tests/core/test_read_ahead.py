"""`core.read_ahead`: the next piece of a streamed export is read while this one is written."""

import threading

import pytest
from django.contrib.auth.models import Group

from sikla.core.read_ahead import read_ahead

WAIT = 5  # seconds a test waits for the thread before it calls it stuck


def read_ahead_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == "read-ahead" and t.is_alive()]


@pytest.mark.django_db
def test_the_thread_reads_what_the_request_sees_in_order():
    """It reads on the request's own connection: rows this (test) transaction wrote and has not
    committed are there, and the pieces come in their order."""
    names = [f"kelompok-{n}" for n in range(5)]
    Group.objects.bulk_create(Group(name=n) for n in names)

    def pieces():
        for name in names:
            yield list(Group.objects.filter(name=name).values_list("name", flat=True))

    assert list(read_ahead(pieces())) == [[n] for n in names]
    assert not read_ahead_threads()


def test_the_next_piece_is_read_while_the_caller_works_on_this_one():
    second_read = threading.Event()

    def pieces():
        yield 1
        second_read.set()
        yield 2

    ahead = read_ahead(pieces())
    assert next(ahead) == 1
    # the caller has not asked for the second piece, and it is read already
    assert second_read.wait(WAIT)
    assert list(ahead) == [2]


def test_an_error_while_reading_is_raised_in_the_caller():
    def pieces():
        yield 1
        raise ValueError("baris rusak")

    ahead = read_ahead(pieces())
    assert next(ahead) == 1
    with pytest.raises(ValueError, match="baris rusak"):
        next(ahead)
    assert not read_ahead_threads()


def test_a_caller_that_stops_early_stops_the_thread_and_closes_the_source():
    """A download cancelled after its first chunk: no thread is left waiting to hand over the
    next, and the source (a database cursor, say) is closed."""
    closed = threading.Event()

    def pieces():
        try:
            yield from range(1000)
        finally:
            closed.set()

    ahead = read_ahead(pieces())
    assert next(ahead) == 0
    ahead.close()
    assert closed.wait(WAIT)
    assert not read_ahead_threads()


def test_a_source_that_cannot_even_start_is_an_error_not_a_wait():
    """Whatever fails in the thread — here the source is not a source at all — the caller is
    told, rather than left waiting for a piece that never comes."""
    ahead = read_ahead(42)  # not iterable
    with pytest.raises(TypeError):
        next(ahead)
    assert not read_ahead_threads()
