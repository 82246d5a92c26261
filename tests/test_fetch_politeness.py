"""The politeness scheduler (with a fake clock) and the address rules, without a network."""

from __future__ import annotations

import threading

import pytest

from noticecheck.fetch.politeness import Scheduler
from noticecheck.fetch.safety import AddressGuard, AddressRefused, parse_networks, refusal_reason


class FakeClock:
    """A clock that only moves when someone sleeps."""

    def __init__(self) -> None:
        self.now = 100.0
        self.sleeps: list[float] = []
        self._lock = threading.Lock()

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        with self._lock:
            self.sleeps.append(seconds)
            self.now += seconds


def test_same_key_waits_for_its_interval_after_the_previous_request_started():
    """Start to start: a request that took 0.25 s leaves 0.75 s to wait, not another whole interval."""
    clock = FakeClock()
    scheduler = Scheduler(clock=clock, sleep=clock.sleep)
    with scheduler.slot({"host:a": 1.0}):
        clock.now += 0.25  # the request itself took 0.25 s
    with scheduler.slot({"host:a": 1.0}):
        pass
    assert clock.sleeps == [0.75]


def test_the_interval_runs_from_when_the_request_was_sent():
    """Connecting (and a TLS handshake) comes before the request leaves: the spacing starts when it left."""
    clock = FakeClock()
    scheduler = Scheduler(clock=clock, sleep=clock.sleep)
    with scheduler.slot({"host:a": 1.0}) as ticket:
        clock.now += 0.1  # connecting
        ticket.sent(clock.now)
        clock.now += 0.2  # the answer
    with scheduler.slot({"host:a": 1.0}):
        pass
    assert clock.sleeps == [pytest.approx(0.8)]  # 1 s after it was sent, 0.3 s of which had passed


def test_an_answer_slower_than_the_interval_is_waited_for_but_adds_no_interval():
    """A 1.5 s answer on a 1 s interval: the next request goes as soon as the answer is in, not 1 s later."""
    clock = FakeClock()
    scheduler = Scheduler(clock=clock, sleep=clock.sleep)
    with scheduler.slot({"host:a": 1.0}):
        clock.now += 1.5
    with scheduler.slot({"host:a": 1.0}):
        pass
    assert clock.sleeps == []


def test_a_key_in_flight_is_never_granted_again_until_it_is_released():
    """No overlap: with no interval at all, a second request to the key waits for the first to finish."""
    scheduler = Scheduler()
    first_in, release_first, second_in = threading.Event(), threading.Event(), threading.Event()
    order = []

    def first() -> None:
        with scheduler.slot({"host:a": 0.0, "ip:1": 0.0}):
            first_in.set()
            release_first.wait(timeout=10)
            order.append("first done")

    def second() -> None:
        with scheduler.slot({"host:b": 0.0, "ip:1": 0.0}):  # another host on the same IP
            order.append("second in")
            second_in.set()

    threads = [threading.Thread(target=first)]
    threads[0].start()
    assert first_in.wait(timeout=10)
    threads.append(threading.Thread(target=second))
    threads[1].start()
    assert not second_in.wait(timeout=0.3)  # the IP is in flight: the second waits...
    release_first.set()
    assert second_in.wait(timeout=10)  # ...until the first is done
    for thread in threads:
        thread.join(timeout=10)
    assert order == ["first done", "second in"]


def test_different_keys_do_not_wait():
    clock = FakeClock()
    scheduler = Scheduler(clock=clock, sleep=clock.sleep)
    with scheduler.slot({"host:a": 5.0, "ip:1": 5.0}):
        pass
    with scheduler.slot({"host:b": 5.0, "ip:2": 5.0}):
        pass
    assert clock.sleeps == []


def test_shared_ip_makes_two_hosts_wait():
    clock = FakeClock()
    scheduler = Scheduler(clock=clock, sleep=clock.sleep)
    with scheduler.slot({"host:a": 1.0, "ip:1": 2.0}):
        pass
    with scheduler.slot({"host:b": 1.0, "ip:1": 2.0}):
        pass
    assert clock.sleeps == [2.0]


def test_a_larger_interval_asked_later_applies_to_the_previous_request():
    """Crawl-delay is learnt from robots.txt, after robots.txt itself was fetched."""
    clock = FakeClock()
    scheduler = Scheduler(clock=clock, sleep=clock.sleep)
    with scheduler.slot({"host:a": 0.0}):
        pass
    with scheduler.slot({"host:a": 3.0}):
        pass
    assert clock.sleeps == [3.0]


def test_ticket_hold_pushes_the_next_slot_back():
    clock = FakeClock()
    scheduler = Scheduler(clock=clock, sleep=clock.sleep)
    with scheduler.slot({"host:a": 1.0}) as ticket:
        ticket.hold(30.0)  # Retry-After: 30
    with scheduler.slot({"host:a": 1.0}):
        pass
    assert clock.sleeps == [30.0]


def test_a_hold_counts_from_the_end_of_the_answer_that_asked_for_it():
    """Retry-After is a minimum gap after the answer, however long the answer took."""
    clock = FakeClock()
    scheduler = Scheduler(clock=clock, sleep=clock.sleep)
    with scheduler.slot({"host:a": 1.0}) as ticket:
        ticket.sent(clock.now)
        clock.now += 2.0  # a slow 503
        ticket.hold(5.0)
    with scheduler.slot({"host:a": 1.0}):
        pass
    assert clock.sleeps == [5.0]


def test_a_waiting_thread_does_not_block_other_hosts():
    """Thread A sleeps for host a's turn; thread B, for host b, must get through meanwhile."""
    a_sleeping = threading.Event()
    release_a = threading.Event()
    b_done = threading.Event()

    clock = FakeClock()

    def sleep(seconds: float) -> None:
        a_sleeping.set()
        release_a.wait(timeout=10)
        clock.sleep(seconds)

    scheduler = Scheduler(clock=clock, sleep=sleep)
    with scheduler.slot({"host:a": 50.0}):
        pass  # host a is now busy for 50 "seconds"

    def for_host_a() -> None:
        with scheduler.slot({"host:a": 50.0}):
            pass

    def for_host_b() -> None:
        with scheduler.slot({"host:b": 50.0}):
            b_done.set()

    thread_a = threading.Thread(target=for_host_a)
    thread_a.start()
    assert a_sleeping.wait(timeout=10)
    thread_b = threading.Thread(target=for_host_b)
    thread_b.start()
    assert b_done.wait(timeout=10)  # B finished while A was still asleep
    release_a.set()
    thread_a.join(timeout=10)
    thread_b.join(timeout=10)
    assert not thread_a.is_alive() and not thread_b.is_alive()
    assert clock.sleeps == [50.0]


@pytest.mark.parametrize(
    "address, reason",
    [
        ("127.0.0.1", "loopback"),
        ("::1", "loopback"),
        ("10.1.2.3", "private"),
        ("172.16.5.4", "private"),
        ("192.168.1.1", "private"),
        ("169.254.169.254", "link-local"),
        ("fe80::1", "link-local"),
        ("fc00::1", "private"),
        ("224.0.0.1", "multicast"),
        ("0.0.0.0", "unspecified"),
        ("240.0.0.1", "reserved"),
        ("100.64.0.1", "non-global"),
        ("::ffff:10.0.0.1", "private"),
        ("8.8.8.8", None),
        ("2a00:1450:4009:81a::200e", None),
    ],
)
def test_refusal_reason(address, reason):
    assert refusal_reason(address) == reason


def test_allow_list_admits_only_its_networks():
    allowed = parse_networks(["127.0.0.1/32"])
    assert refusal_reason("127.0.0.1", allowed) is None
    assert refusal_reason("127.0.0.2", allowed) == "loopback"


def test_guard_caches_answers_and_refusals():
    calls = []

    def resolver(host, port):
        calls.append(host)
        return {"good.test": ["127.0.0.1"], "bad.test": ["127.0.0.1", "192.168.0.9"]}[host]

    guard = AddressGuard(allowed_networks=["127.0.0.1/32"], resolver=resolver)
    assert guard.addresses("good.test", 80) == ("127.0.0.1",)
    assert guard.addresses("GOOD.test.", 443) == ("127.0.0.1",)
    for _ in range(2):
        with pytest.raises(AddressRefused, match="192.168.0.9"):
            guard.addresses("bad.test", 80)
    assert calls == ["good.test", "bad.test"]


def test_allow_private_admits_everything():
    guard = AddressGuard(allow_private=True, resolver=lambda host, port: ["10.0.0.1"])
    assert guard.addresses("lan.test", 80) == ("10.0.0.1",)


# -- the ready-queue: places are held only by requests that may go now ------------------


def test_a_request_waiting_for_its_turn_holds_no_place():
    """One place in all: thread A sleeps until host a may be asked again; B's request for host b takes the place meanwhile."""
    a_sleeping, release_a, b_done = threading.Event(), threading.Event(), threading.Event()
    clock = FakeClock()

    def sleep(seconds: float) -> None:
        a_sleeping.set()
        release_a.wait(timeout=10)
        clock.sleep(seconds)

    scheduler = Scheduler(clock=clock, sleep=sleep, max_in_flight=1)
    with scheduler.slot({"host:a": 50.0, "ip:1": 50.0}):
        pass

    def for_host_a() -> None:
        with scheduler.slot({"host:a": 50.0, "ip:1": 50.0}):
            pass

    def for_host_b() -> None:
        with scheduler.slot({"host:b": 50.0, "ip:2": 50.0}):
            assert scheduler.in_flight == 1
            b_done.set()

    thread_a = threading.Thread(target=for_host_a)
    thread_a.start()
    assert a_sleeping.wait(timeout=10)
    assert scheduler.in_flight == 0  # A waits for its time without a place
    thread_b = threading.Thread(target=for_host_b)
    thread_b.start()
    assert b_done.wait(timeout=10)
    release_a.set()
    for thread in (thread_a, thread_b):
        thread.join(timeout=10)
        assert not thread.is_alive()
    assert clock.sleeps == [50.0] and scheduler.in_flight == 0


def test_max_in_flight_bounds_the_slots_held_at_once():
    scheduler = Scheduler(max_in_flight=2)
    inside, leave = [], threading.Event()
    lock = threading.Lock()
    entered = threading.Semaphore(0)

    def request(key: str) -> None:
        with scheduler.slot({key: 0.0}):
            with lock:
                inside.append(key)
            entered.release()
            leave.wait(timeout=10)

    threads = [threading.Thread(target=request, args=(f"host:{n}",)) for n in range(3)]
    for thread in threads:
        thread.start()
    assert entered.acquire(timeout=10) and entered.acquire(timeout=10)
    assert not entered.acquire(timeout=0.3)  # the third waits for a place...
    assert scheduler.in_flight == 2 and len(inside) == 2 and scheduler.waiting_for_place == 1
    leave.set()
    assert entered.acquire(timeout=10)  # ...and gets one when another is given back
    for thread in threads:
        thread.join(timeout=10)
    assert sorted(inside) == ["host:0", "host:1", "host:2"] and scheduler.in_flight == 0 and scheduler.queued == 0


def test_a_freed_place_goes_first_to_the_busiest_key():
    """Requests queued behind one shared IP are the scan's critical path: they get a freed place first."""
    scheduler = Scheduler(max_in_flight=1)
    order: list[str] = []
    lock = threading.Lock()

    def request(name: str, keys: dict[str, float]) -> None:
        with scheduler.slot(keys):
            with lock:
                order.append(name)

    held = scheduler.slot({"host:x": 0.0})
    held.__enter__()
    requests = [("w1", {"host:a": 0.0, "ip:1": 0.0}), ("w2", {"host:b": 0.0, "ip:9": 0.0}), ("w3", {"host:c": 0.0, "ip:9": 0.0})]
    threads = []
    for count, (name, keys) in enumerate(requests, start=1):
        threads.append(threading.Thread(target=request, args=(name, keys)))
        threads[-1].start()
        for _ in range(1000):  # queue them in this order
            if scheduler.waiting_for_place == count:
                break
            threading.Event().wait(0.005)
        assert scheduler.waiting_for_place == count
    held.__exit__(None, None, None)
    for thread in threads:
        thread.join(timeout=10)
    # ip:9 has two requests queued, so one of them goes first; then the queue order
    assert order == ["w2", "w1", "w3"]


def test_a_request_interrupted_while_waiting_leaves_nothing_behind():
    """Ctrl-C while waiting for a host's turn: the host and the place are free for the next request."""
    clock = FakeClock()

    def interrupted(seconds: float) -> None:
        raise KeyboardInterrupt

    scheduler = Scheduler(clock=clock, sleep=interrupted, max_in_flight=1)
    with scheduler.slot({"host:a": 0.0}):
        pass
    with pytest.raises(KeyboardInterrupt):
        with scheduler.slot({"host:a": 5.0}):
            pass  # never reached: the wait was interrupted
    assert scheduler.in_flight == 0 and scheduler.waiting_for_place == 0 and scheduler.queued == 0
    clock.now += 5.0
    with scheduler.slot({"host:a": 5.0}):  # no sleep needed, so the interrupting sleep is not called
        assert scheduler.in_flight == 1


def test_finishing_a_ticket_frees_the_keys_before_the_holder_is_done():
    """The answer is in (Ticket.finish): another request to the key may go while the holder still
    works on the answer (e.g. caches it); the end of the `with` then releases nothing twice."""
    scheduler = Scheduler(max_in_flight=1)
    other_done = threading.Event()

    def other() -> None:
        with scheduler.slot({"host:a": 0.0}):
            other_done.set()

    with scheduler.slot({"host:a": 0.0}) as ticket:
        ticket.finish()
        thread = threading.Thread(target=other)
        thread.start()
        assert other_done.wait(timeout=10)  # key and the only place were free before this body ended
    thread.join(timeout=10)
    assert scheduler.in_flight == 0 and scheduler.queued == 0
