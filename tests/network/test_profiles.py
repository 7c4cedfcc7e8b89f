"""Members edit their profile; others see it as its owner allows."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from PIL import Image

from network import markdown
from network.models import FieldVisibility, Member, MemberType, Tag, Visibility
from tests.factories import AgencyFactory, MemberFactory

pytestmark = pytest.mark.django_db


def png(size=(600, 300), fmt="PNG") -> io.BytesIO:
    out = io.BytesIO()
    Image.new("RGB", size, "teal").save(out, format=fmt)
    out.seek(0)
    out.name = f"picture.{fmt.lower()}"
    return out


def profile_data(**overrides) -> dict:
    data = {
        "name": "Ada Member",
        "headline": "Chief Data Officer",
        "member_type": MemberType.CAREER,
        "agency": "",
        "organisation": "",
        "bio": "I run **data** teams.",
        "time_zone": "America/Chicago",
        "visibility": Visibility.NETWORK,
        "phone": "+1 202 555 0100",
        "email_visibility": FieldVisibility.COHORTS,
        "phone_visibility": FieldVisibility.MANAGERS,
        "contact_method": "email",
        "contact_note": "Mornings",
        "expertise_tags": "Data governance, procurement",
        "challenge_tags": "Workforce retention, workforce  RETENTION, AI adoption",
    }
    data.update(overrides)
    return data


def test_member_edits_profile_with_tags_from_a_shared_vocabulary(world, client_for):
    Tag.objects.create(name="Workforce retention", slug="workforce-retention")
    client = client_for("member")
    response = client.post(reverse("network:profile_edit"), profile_data())
    assert response.status_code == 302
    member = Member.objects.get(pk=world.member.pk)
    assert member.headline == "Chief Data Officer"
    assert [t.name for t in member.challenges.all()] == ["AI adoption", "Workforce retention"]
    assert Tag.objects.filter(slug="workforce-retention").count() == 1
    assert member.bio_html == "<p>I run <strong>data</strong> teams.</p>\n"
    assert "workforce retention" in member.search_text.lower()
    page = client.get(reverse("network:member", args=[member.pk])).text
    assert "Chief Data Officer" in page and "<strong>data</strong>" in page


def test_bio_is_sanitised():
    html = markdown.render("<script>alert(1)</script> [x](javascript:alert(1)) <img src=x>")
    assert "<script" not in html and "<img" not in html and 'href="javascript' not in html
    raw = markdown.sanitise('<a href="javascript:x" onclick="y">a</a><script>z</script>')
    assert "onclick" not in raw and "<script" not in raw and "javascript" not in raw


def test_avatar_is_reencoded_as_a_square_png(world, client_for):
    client = client_for("member")
    response = client.post(
        reverse("network:profile_edit"), {**profile_data(), "avatar_upload": png(fmt="JPEG")}
    )
    assert response.status_code == 302
    member = Member.objects.get(pk=world.member.pk)
    with Image.open(member.avatar.path) as image:
        assert (image.format, image.size) == ("PNG", (256, 256))
    picture = client_for("mate").get(reverse("network:avatar", args=[member.pk]))
    assert picture.status_code == 200 and picture["Content-Type"] == "image/png"


def test_avatar_that_is_not_a_picture_is_refused(world, client_for):
    fake = io.BytesIO(b"<?php echo 'hi'; ?>")
    fake.name = "evil.png"
    response = client_for("member").post(
        reverse("network:profile_edit"), {**profile_data(), "avatar_upload": fake}
    )
    assert response.status_code == 200
    assert "usa-error-message" in response.text
    assert not Member.objects.get(pk=world.member.pk).avatar


def test_avatar_over_5_mb_is_refused(world, client_for, monkeypatch):
    monkeypatch.setattr("network.services.profiles.AVATAR_MAX_BYTES", 100)
    response = client_for("member").post(
        reverse("network:profile_edit"), {**profile_data(), "avatar_upload": png()}
    )
    assert "larger than 5 MB" in response.text


@pytest.mark.parametrize(
    ("email_visibility", "sees"),
    [
        (FieldVisibility.NETWORK, {"mate": True, "outsider": True, "manager": True}),
        (FieldVisibility.COHORTS, {"mate": True, "outsider": False, "manager": True}),
        (FieldVisibility.MANAGERS, {"mate": False, "outsider": False, "manager": True}),
    ],
)
def test_email_is_shown_only_as_its_owner_allows(world, client_for, email_visibility, sees):
    Member.objects.filter(pk=world.member.pk).update(email_visibility=email_visibility)
    for role, visible in sees.items():
        page = client_for(role).get(reverse("network:member", args=[world.member.pk])).text
        assert (world.member.user.email in page) is visible, role


def test_phone_defaults_to_managers_only(world, client_for):
    Member.objects.filter(pk=world.member.pk).update(phone="+1 202 555 0199")
    url = reverse("network:member", args=[world.member.pk])
    assert "555 0199" not in client_for("mate").get(url).text
    assert "555 0199" in client_for("manager").get(url).text


def test_agency_is_suggested_from_a_gov_address(client):
    AgencyFactory(acronym="HHS", name="Department of Health and Human Services")
    member = MemberFactory(agency=None, user__email="pat@hhs.gov")
    client.force_login(member.user)
    page = client.get(reverse("network:profile_edit")).text
    assert "suggests you work at <bdi>Department of Health and Human Services</bdi>" in page


def test_subdomain_maps_to_the_most_specific_agency():
    from network.agencies import acronym_for_email

    assert acronym_for_email("a@omb.eop.gov") == "OMB"
    assert acronym_for_email("a@whitehouse.gov") == "EOP"
    assert acronym_for_email("a@gmail.com") is None


def test_tag_autocomplete_lists_vocabulary_names_only(world, client_for):
    Tag.objects.create(name="Workforce retention", slug="workforce-retention")
    Tag.objects.create(name="Cloud", slug="cloud")
    response = client_for("member").get(reverse("network:tags"), {"q": "work"})
    assert response.json() == {"tags": ["Workforce retention"]}
