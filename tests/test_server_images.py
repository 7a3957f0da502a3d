"""POST /v1/check/image and /v1/check/profile with real images built by Pillow."""

from __future__ import annotations

import base64
import io
import struct
import zlib

import jsonschema
import pytest
from PIL import Image

import checker

CLIENT = {"X-Socialcheck-Client": "pytest"}


def png(size: tuple[int, int] = (400, 400), colour: tuple[int, ...] = (200, 30, 60), mode: str = "RGB") -> bytes:
    buffer = io.BytesIO()
    image = Image.new(mode, size, colour)
    # Something to look at: a lighter disc in the middle, as an avatar would have.
    from PIL import ImageDraw

    ImageDraw.Draw(image).ellipse((size[0] // 4, size[1] // 4, 3 * size[0] // 4, 3 * size[1] // 4), fill=(255, 255, 255))
    image.save(buffer, "PNG")
    return buffer.getvalue()


def png_claiming(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims width x height: a decompression bomb's calling card."""
    data = bytearray(png((1, 1)))
    struct.pack_into(">II", data, 16, width, height)  # IHDR data starts after signature, length and type
    struct.pack_into(">I", data, 29, zlib.crc32(bytes(data[12:29])))
    return bytes(data)


def upload(client, path: str, files: dict[str, bytes], **fields: str):
    data: dict[str, object] = dict(fields)
    for name, content in files.items():
        data[name] = (io.BytesIO(content), f"{name}.png")
    return client.post(path, data=data, content_type="multipart/form-data", headers=CLIENT)


def validate(client, path: str, response) -> None:
    document = client.get("/v1/openapi.json").get_json()
    responses = document["paths"][path]["post"]["responses"]
    assert str(response.status_code) in responses
    schema = responses[str(response.status_code)]["content"]["application/json"]["schema"]
    jsonschema.Draft202012Validator({**document, **schema}).validate(response.get_json())


def test_an_image_check_answers_what_the_library_finds(client):
    image = png()
    response = upload(client, "/v1/check/image", {"image": image}, platform="x", profile="corporate")
    assert response.status_code == 200
    validate(client, "/v1/check/image", response)
    body = response.get_json()
    expected = checker.check_image(image, platform="x", profile="corporate")
    assert [f["rule"] for f in body["findings"]] == [f.rule for f in expected.findings]
    assert body["metrics"]["width"] == 400 and body["metrics"]["platform"] == "x"
    preview = Image.open(io.BytesIO(base64.b64decode(body["preview_png"])))
    assert preview.format == "PNG" and preview.size[0] > 0


def test_an_off_brand_small_transparent_image_gets_its_findings(client):
    response = upload(client, "/v1/check/image", {"image": png((64, 40), (0, 255, 0, 0), "RGBA")}, platform="x")
    assert response.status_code == 200
    categories = {f["category"] for f in response.get_json()["findings"]}
    assert {"dimensions", "aspect", "transparency"} <= categories


@pytest.mark.parametrize(
    ("content", "status", "code"),
    [
        (b"This is a text file renamed to .png\n", 415, "unsupported_image"),
        (b"%PDF-1.7\n" + b"0" * 100, 415, "unsupported_image"),
        (b"", 400, "missing_image"),
        (png_claiming(20_000, 20_000), 413, "image_too_large"),
        (png_claiming(8_000, 8_000), 413, "image_too_large"),
    ],
    ids=["text", "pdf", "empty", "bomb", "64-megapixels"],
)
def test_images_that_cannot_be_checked_get_json_errors(client, content, status, code):
    response = upload(client, "/v1/check/image", {"image": content})
    assert response.status_code == status
    assert response.get_json()["error"]["code"] == code
    validate(client, "/v1/check/image", response)


def test_a_truncated_image_is_a_format_finding(client):
    whole = png((400, 400))
    response = upload(client, "/v1/check/image", {"image": whole[: len(whole) // 2]})
    assert response.status_code == 200
    assert "format" in {f["category"] for f in response.get_json()["findings"]}


def test_an_image_check_needs_the_file_and_multipart(client):
    missing = client.post("/v1/check/image", data={"platform": "x"}, content_type="multipart/form-data", headers=CLIENT)
    assert (missing.status_code, missing.get_json()["error"]["code"]) == (400, "missing_image")
    as_json = client.post("/v1/check/image", json={"image": "aGVsbG8="}, headers=CLIENT)
    assert (as_json.status_code, as_json.get_json()["error"]["code"]) == (415, "unsupported_media_type")


def test_an_unknown_platform_for_an_image(client):
    response = upload(client, "/v1/check/image", {"image": png()}, platform="friendster")
    assert (response.status_code, response.get_json()["error"]["code"]) == (400, "unknown_platform")
    assert "x" in response.get_json()["error"]["choices"]


class TestSmallLimits:
    @pytest.fixture
    def app_config(self):
        return {
            "TESTING": True,
            "SOCIALCHECK_GRAMMAR": False,
            "SOCIALCHECK_IMAGE_BODY_LIMIT": 20_000,
            "SOCIALCHECK_MAX_IMAGE_PIXELS": 100_000,
        }

    def test_an_oversized_upload_is_refused(self, client):
        noise = Image.frombytes("L", (300, 300), bytes(range(256)) * 351 + bytes(144))
        buffer = io.BytesIO()
        noise.save(buffer, "PNG", compress_level=0)
        response = upload(client, "/v1/check/image", {"image": buffer.getvalue()})
        assert (response.status_code, response.get_json()["error"]["code"]) == (413, "too_large")

    def test_the_pixel_limit_is_the_servers_setting(self, client):
        assert upload(client, "/v1/check/image", {"image": png((300, 300))}).status_code == 200
        response = upload(client, "/v1/check/image", {"image": png((400, 400))})
        assert (response.status_code, response.get_json()["error"]["code"]) == (413, "image_too_large")


# --- whole profiles --------------------------------------------------------------------


def test_a_profile_check_reports_each_part_with_utf16_offsets(client):
    bio = "🎓🎓 Official account of Leicester Uni. HUGE NEWS every day!!!"
    fields = {"display_name": "Leicester Uni Physics", "handle": "LeicPhysics", "bio": bio, "platform": "x", "profile": "department"}
    response = upload(client, "/v1/check/profile", {"image": png()}, **fields)
    assert response.status_code == 200
    validate(client, "/v1/check/profile", response)
    body = response.get_json()
    assert set(body["parts"]) == {"display_name", "handle", "bio", "image"}
    library = checker.check_profile(
        fields["display_name"], fields["handle"], bio, png(), platform="x", profile="department"
    ).bio.findings
    served = body["parts"]["bio"]["findings"]
    assert served and len(served) == len(library)
    encoded = bio.encode("utf-16-le")
    for finding, expected in zip(served, library, strict=True):
        assert encoded[2 * finding["start"] : 2 * finding["end"]].decode("utf-16-le") == bio[expected.start : expected.end]
    assert any(f["start"] != e.start for f, e in zip(served, library, strict=True))  # the two emoji moved them


def test_a_profile_without_an_image(client):
    response = upload(client, "/v1/check/profile", {}, display_name="University of Leicester", handle="uniofleicester", bio="")
    assert response.status_code == 200
    assert "image" not in response.get_json()["parts"]
    validate(client, "/v1/check/profile", response)
