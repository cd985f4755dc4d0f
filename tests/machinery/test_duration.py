"""AGE strings match apimachinery's duration.HumanDuration at every unit boundary."""
import pytest

from kcore.machinery.duration import human_duration, short_human_duration, translate_timestamp_since

M, H, D, Y = 60, 3600, 86400, 365 * 86400


@pytest.mark.parametrize("seconds, text", [
    pytest.param(-2, "<invalid>", id="two seconds in the future is invalid"),
    pytest.param(-3600, "<invalid>", id="an hour in the future is invalid"),
    pytest.param(-1.9, "0s", id="just under two seconds in the future is now"),
    pytest.param(-1, "0s", id="one second in the future is now"),
    pytest.param(0, "0s", id="zero is 0s"),
    pytest.param(0.999, "0s", id="fractions of a second truncate"),
    pytest.param(5, "5s", id="five seconds"),
    pytest.param(59, "59s", id="59 seconds stays in seconds"),
    pytest.param(119, "119s", id="up to 119 seconds stays in seconds"),
    pytest.param(119.9, "119s", id="119.9 seconds truncates to 119s"),
    pytest.param(120, "2m", id="two minutes exactly drops the seconds"),
    pytest.param(125, "2m5s", id="two minutes five seconds"),
    pytest.param(3 * M + 2, "3m2s", id="three minutes two seconds"),
    pytest.param(9 * M + 59, "9m59s", id="the last minute-and-seconds value"),
    pytest.param(10 * M, "10m", id="ten minutes switches to minutes only"),
    pytest.param(10 * M + 59, "10m", id="seconds vanish after ten minutes"),
    pytest.param(179 * M + 59, "179m", id="179 minutes is still minutes"),
    pytest.param(3 * H, "3h", id="three hours switches to hours"),
    pytest.param(4 * H + 30 * M, "4h30m", id="four and a half hours"),
    pytest.param(7 * H + 59 * M + 59, "7h59m", id="the last hours-and-minutes value"),
    pytest.param(8 * H, "8h", id="eight hours drops minutes"),
    pytest.param(23 * H + 59 * M, "23h", id="23 hours"),
    pytest.param(47 * H + 59 * M, "47h", id="47 hours is still hours"),
    pytest.param(48 * H, "2d", id="48 hours is two days"),
    pytest.param(2 * D + 3 * H, "2d3h", id="two days three hours"),
    pytest.param(7 * D + 23 * H + 59 * M, "7d23h", id="the last days-and-hours value"),
    pytest.param(8 * D, "8d", id="eight days drops hours"),
    pytest.param(10 * D + 5 * H, "10d", id="ten days"),
    pytest.param(364 * D, "364d", id="364 days"),
    pytest.param(729 * D + 23 * H, "729d", id="729 days is still days"),
    pytest.param(2 * Y, "2y", id="two years"),
    pytest.param(3 * Y + 45 * D, "3y45d", id="three years 45 days"),
    pytest.param(7 * Y + 364 * D, "7y364d", id="the last years-and-days value"),
    pytest.param(8 * Y, "8y", id="eight years drops days"),
    pytest.param(9 * Y + 100 * D, "9y", id="nine years"),
    pytest.param(0.1 + 0.2 + 119.7, "2m", id="float noise does not cross a boundary"),
])
def test_human_duration(seconds, text):
    assert human_duration(seconds) == text


@pytest.mark.parametrize("seconds, text", [
    pytest.param(-2, "<invalid>", id="short: two seconds in the future is invalid"),
    pytest.param(-1, "0s", id="short: one second in the future is now"),
    pytest.param(59, "59s", id="short: 59 seconds"),
    pytest.param(60, "1m", id="short: a minute"),
    pytest.param(3599, "59m", id="short: 59 minutes"),
    pytest.param(H, "1h", id="short: an hour"),
    pytest.param(D - 1, "23h", id="short: 23 hours"),
    pytest.param(D, "1d", id="short: a day"),
    pytest.param(364 * D, "364d", id="short: 364 days"),
    pytest.param(Y, "1y", id="short: a year"),
])
def test_short_human_duration(seconds, text):
    assert short_human_duration(seconds) == text


@pytest.mark.parametrize("then, now, text", [
    pytest.param(None, 100.0, "<unknown>", id="a missing timestamp is unknown"),
    pytest.param(100.0, 400.0, "5m", id="age is now minus then"),
    pytest.param(400.0, 100.0, "<invalid>", id="a future timestamp is invalid"),
])
def test_translate_timestamp_since(then, now, text):
    assert translate_timestamp_since(then, now) == text
