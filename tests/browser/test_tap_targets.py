"""Every control on the main pages is at least 44 by 44 CSS pixels on a phone, in both themes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from dogs.models import Role, Theme
from tests.browser.conftest import sign_in
from tests.helpers import add_member, make_dog, make_incident, make_owner

pytestmark = pytest.mark.browser

# WCAG 2.5.5 (target size) and Apple's guidance: a fingertip needs 44 CSS pixels each way.
MIN_TARGET = 44

# What a finger can tap: links, buttons, fields, the summaries of <details>; a checkbox or radio
# counts by its label, which is what the finger presses. Hidden ones and links inside running
# text (WCAG's inline exception) are left out.
MEASURE = """
(minimum) => {
  const small = [];
  const tappable = 'a[href], button, input:not([type=hidden]), select, textarea, summary';
  for (const element of document.querySelectorAll(tappable)) {
    let target = element;
    if (element.matches('input[type=checkbox], input[type=radio]')) {
      target = element.closest('label') || document.querySelector(`label[for="${element.id}"]`)
        || element.closest('.form-check') || element;
    }
    // A row's link stretches over the whole row (::after): the row is what the finger presses.
    if (element.matches('a.ll-lean-link')) target = element.closest('article');
    const style = getComputedStyle(element);
    if (style.visibility === 'hidden' || style.display === 'none') continue;
    // The skip link is 1 px until focused, when it grows to a full bar.
    if (element.closest('.visually-hidden, .visually-hidden-focusable, [hidden]')) continue;
    if (element.closest('details:not([open]) > :not(summary)')) continue;
    if (element.closest('p, li.ll-notes, .ll-notes') && element.tagName === 'A'
        && !element.classList.contains('btn')) continue;
    const box = target.getBoundingClientRect();
    if (box.width === 0 && box.height === 0) continue;
    if (Math.round(box.width) < minimum || Math.round(box.height) < minimum) {
      const name = (element.innerText || element.value || element.name || element.id || '').trim();
      const size = `${Math.round(box.width)}x${Math.round(box.height)}`;
      small.push(`${element.tagName.toLowerCase()} "${name.slice(0, 40)}" ${size}`);
    }
  }
  return small;
}
"""


def small_targets(page: Any) -> list[str]:
    return page.evaluate(MEASURE, MIN_TARGET)


@pytest.mark.parametrize("theme", [Theme.LIGHT, Theme.DARK])
def test_it_makes_every_control_on_the_main_pages_big_enough_to_tap(
    page: Any, live_server: Any, screenshot: Callable[[str], Path], theme: str
) -> None:
    owner = make_owner("tapper", "Asia/Tokyo")
    owner.theme = theme
    owner.save()
    dog = make_dog(owner, name="Bramble", created_at=timezone.now() - dt.timedelta(days=40))
    make_dog(owner, name="Ruby")
    for day in range(12):
        make_incident(
            dog,
            timezone.now() - dt.timedelta(days=day, hours=1),
            location="home" if day % 2 else "",
            intensity=2 + day % 3,
            signs=["relaxed"] if day % 3 else ["panting"],
            triggers=["new_people"] if day % 4 == 0 else [],
            notes="Leaned on the sofa." if day % 5 == 0 else "",
        )
    sign_in(page, live_server.url, owner)
    pages = {
        "home": "/",
        "dog": f"/dogs/{dog.pk}/",
        "lean-form": f"/dogs/{dog.pk}/incidents/new/",
        "journal": f"/dogs/{dog.pk}/incidents/",
        "report": f"/dogs/{dog.pk}/report/",
    }
    small = {}
    for name, path in pages.items():
        page.goto(live_server.url + path)
        screenshot(f"{name}-{theme}")
        found = small_targets(page)
        if found:
            small[name] = found
    assert small == {}, "\n".join(f"{name}: {found}" for name, found in small.items())


def test_it_keeps_the_taller_crumbs_on_one_line_with_their_slashes(page: Any, live_server: Any) -> None:
    """The crumb links grow to 44 px on a phone; the slashes and the current page stay level with them."""
    owner = make_owner("crumbs")
    dog = make_dog(owner, name="Bramble")
    sign_in(page, live_server.url, owner)
    for path in (f"/dogs/{dog.pk}/", f"/dogs/{dog.pk}/events/new/", f"/dogs/{dog.pk}/report/"):
        page.goto(live_server.url + path)
        middles = page.evaluate(
            """() => [...document.querySelectorAll('.breadcrumb-item')].flatMap((item) => {
              const text = item.querySelector('a') || item;
              const box = text.getBoundingClientRect();
              const slash = getComputedStyle(item, '::before').content;
              const own = [Math.round(box.top + box.height / 2)];
              if (slash === 'none' || slash === 'normal') return own;
              // Where the slash is drawn: the item's own first line, before the text.
              const range = document.createRange();
              range.selectNodeContents(item);
              const line = range.getClientRects()[0];
              return [...own, Math.round(line.top + line.height / 2)];
            })"""
        )
        assert max(middles) - min(middles) <= 2, (path, middles)


def test_it_leaves_the_change_button_room_for_its_word_beside_the_role(page: Any, live_server: Any) -> None:
    """On a phone the role's list gives way; the Change button keeps its padding round the word."""
    owner = make_owner("keeper")
    dog = make_dog(owner, name="Skye")
    add_member(dog, make_owner("sitter"), Role.CARER)
    sign_in(page, live_server.url, owner)
    page.goto(f"{live_server.url}/dogs/{dog.pk}/people/")
    for button in page.locator(".ll-role-form > .btn").all():
        room = button.evaluate(
            """(b) => {
              const range = document.createRange();
              range.selectNodeContents(b);
              return b.getBoundingClientRect().width - range.getBoundingClientRect().width;
            }"""
        )
        assert room >= 16, room


def test_it_centres_a_short_name_in_its_crumb(page: Any, live_server: Any) -> None:
    """A name narrower than the 44 px crumb has as much room on its left as on its right."""
    owner = make_owner("shorty")
    dog = make_dog(owner, name="Pip")
    sign_in(page, live_server.url, owner)
    for path in (f"/dogs/{dog.pk}/report/", f"/dogs/{dog.pk}/incidents/"):
        page.goto(live_server.url + path)
        crumb = page.locator(".breadcrumb-item > a", has_text="Pip")
        left, right = crumb.evaluate(
            """(a) => {
              const range = document.createRange();
              range.selectNodeContents(a);
              const box = a.getBoundingClientRect(), text = range.getBoundingClientRect();
              return [text.left - box.left, box.right - text.right];
            }"""
        )
        assert abs(left - right) <= 2, (path, left, right)
