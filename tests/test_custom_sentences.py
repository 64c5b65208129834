"""The shipped custom sentences parse with hassil as HA loads them, and reach our intents.

Each file is merged into Home Assistant's own sentences for its language (as the default
agent does with ``<config>/custom_sentences/<lang>/``), marked as a custom sentence, and
recognized with HA's slot lists (areas, entity names, floors) and ``recognize_best``'s
priorities: a sample that matched one of HA's intents instead, or the wrong slots, fails.
"""

from __future__ import annotations

import functools
import json
import re
from pathlib import Path
from typing import Any, Final

import pytest
import yaml
from hassil.intents import Intents, TextSlotList
from hassil.recognize import recognize_best
from hassil.util import merge_dict
from home_assistant_intents import get_intents

from custom_components.spotify_webapi.intents import HANDLERS, MEDIA_TYPES

SENTENCES: Final = Path(__file__).resolve().parent.parent / "docs" / "custom_sentences"
LANGUAGES: Final = ("en", "de", "nl", "fr", "es")
# HA's marker of custom sentences (conversation.default_agent / conversation.const).
CUSTOM: Final = "hass_custom_sentence"
AREAS: Final = ("Kitchen", "Living Room", "Küche", "Keuken", "Cuisine", "Cocina")
ENTITIES: Final = (("Kitchen Light", "light.kitchen"), ("Spotify Alice", "media_player.alice"))
OURS: Final = {handler.intent_type: handler() for handler in HANDLERS}
LIST_REF: Final = re.compile(r"\{(\w+)(?::(\w+))?\}")
RULE_REF: Final = re.compile(r"<(\w+)>")

# (sentence, intent, slots) per language: every intent, every slot, every way to say where.
SAMPLES: Final[dict[str, list[tuple[str, str, dict[str, str]]]]] = {
    "en": [
        ("What's playing on Spotify?", "SpotifyWhatsPlaying", {}),
        ("what is playing on spotify", "SpotifyWhatsPlaying", {}),
        ("like this song", "SpotifySaveCurrent", {}),
        ("add this track to my Spotify library", "SpotifySaveCurrent", {}),
        ("remove this song from my library", "SpotifyRemoveCurrent", {}),
        (
            "add this song to my Running playlist",
            "SpotifyAddCurrentToPlaylist",
            {"playlist": "Running"},
        ),
        (
            "add this track to playlist Road Trip on Spotify",
            "SpotifyAddCurrentToPlaylist",
            {"playlist": "Road Trip"},
        ),
        ("play Bohemian Rhapsody on Spotify", "SpotifyPlay", {"name": "Bohemian Rhapsody"}),
        (
            "play the playlist Road Trip on Spotify",
            "SpotifyPlay",
            {"name": "Road Trip", "media_type": "playlist"},
        ),
        (
            "play the Beatles artist on Spotify",
            "SpotifyPlay",
            {"name": "Beatles", "media_type": "artist"},
        ),
        (
            "play the audiobook Dune on Spotify",
            "SpotifyPlay",
            {"name": "Dune", "media_type": "audiobook"},
        ),
        (
            "play the album Kind of Blue on Spotify in the kitchen",
            "SpotifyPlay",
            {"name": "Kind of Blue", "media_type": "album", "area": "Kitchen"},
        ),
        (
            "play jazz in the living room on Spotify",
            "SpotifyPlay",
            {"name": "jazz", "area": "Living Room"},
        ),
        (
            "play jazz on Spotify on the bedroom tv",
            "SpotifyPlay",
            {"name": "jazz", "device": "bedroom tv"},
        ),
        (
            "play the song Yesterday on Alice's MacBook with Spotify",
            "SpotifyPlay",
            {"name": "Yesterday", "media_type": "track", "device": "Alice's MacBook"},
        ),
        ("pause Spotify", "SpotifyPause", {}),
        ("resume Spotify", "SpotifyResume", {}),
        ("next song on Spotify", "SpotifyNext", {}),
        ("skip this track on spotify", "SpotifyNext", {}),
        ("previous on Spotify", "SpotifyPrevious", {}),
    ],
    "de": [
        ("Was läuft gerade auf Spotify?", "SpotifyWhatsPlaying", {}),
        ("like diesen Song", "SpotifySaveCurrent", {}),
        ("entferne diesen Titel aus meiner Bibliothek", "SpotifyRemoveCurrent", {}),
        (
            "füge diesen Song zur Playlist Road Trip hinzu",
            "SpotifyAddCurrentToPlaylist",
            {"playlist": "Road Trip"},
        ),
        ("spiele Bohemian Rhapsody auf Spotify", "SpotifyPlay", {"name": "Bohemian Rhapsody"}),
        (
            "spiele das Album Kind of Blue auf Spotify in der Küche",
            "SpotifyPlay",
            {"name": "Kind of Blue", "media_type": "album", "area": "Küche"},
        ),
        (
            "spiel die Playlist Focus auf Spotify auf dem Bedroom TV",
            "SpotifyPlay",
            {"name": "Focus", "media_type": "playlist", "device": "Bedroom TV"},
        ),
        ("pausiere Spotify", "SpotifyPause", {}),
        ("setze Spotify fort", "SpotifyResume", {}),
        ("nächster Titel auf Spotify", "SpotifyNext", {}),
        ("vorheriger Titel auf Spotify", "SpotifyPrevious", {}),
    ],
    "nl": [
        ("Wat speelt er op Spotify?", "SpotifyWhatsPlaying", {}),
        ("sla dit nummer op in mijn bibliotheek", "SpotifySaveCurrent", {}),
        ("verwijder dit nummer uit mijn bibliotheek", "SpotifyRemoveCurrent", {}),
        (
            "voeg dit nummer toe aan mijn Road Trip afspeellijst",
            "SpotifyAddCurrentToPlaylist",
            {"playlist": "Road Trip"},
        ),
        ("speel Bohemian Rhapsody op Spotify", "SpotifyPlay", {"name": "Bohemian Rhapsody"}),
        (
            "speel het album Kind of Blue op Spotify in de keuken",
            "SpotifyPlay",
            {"name": "Kind of Blue", "media_type": "album", "area": "Keuken"},
        ),
        (
            "speel de artiest Miles Davis op Spotify op de Bedroom TV",
            "SpotifyPlay",
            {"name": "Miles Davis", "media_type": "artist", "device": "Bedroom TV"},
        ),
        ("pauzeer Spotify", "SpotifyPause", {}),
        ("hervat Spotify", "SpotifyResume", {}),
        ("volgende nummer op Spotify", "SpotifyNext", {}),
        ("vorige op Spotify", "SpotifyPrevious", {}),
    ],
    "fr": [
        ("Qu'est-ce qui passe sur Spotify ?", "SpotifyWhatsPlaying", {}),
        ("j'aime cette chanson", "SpotifySaveCurrent", {}),
        ("retire ce titre de ma bibliothèque", "SpotifyRemoveCurrent", {}),
        (
            "ajoute ce titre à la playlist Road Trip",
            "SpotifyAddCurrentToPlaylist",
            {"playlist": "Road Trip"},
        ),
        ("mets Bohemian Rhapsody sur Spotify", "SpotifyPlay", {"name": "Bohemian Rhapsody"}),
        (
            "mets l'album Kind of Blue sur Spotify dans la cuisine",
            "SpotifyPlay",
            {"name": "Kind of Blue", "media_type": "album", "area": "Cuisine"},
        ),
        (
            "joue la playlist Focus sur Spotify sur la Bedroom TV",
            "SpotifyPlay",
            {"name": "Focus", "media_type": "playlist", "device": "Bedroom TV"},
        ),
        ("mets Spotify en pause", "SpotifyPause", {}),
        ("reprends Spotify", "SpotifyResume", {}),
        ("titre suivant sur Spotify", "SpotifyNext", {}),
        ("titre précédent sur Spotify", "SpotifyPrevious", {}),
    ],
    "es": [
        ("¿Qué está sonando en Spotify?", "SpotifyWhatsPlaying", {}),
        ("me gusta esta canción", "SpotifySaveCurrent", {}),
        ("quita esta canción de mi biblioteca", "SpotifyRemoveCurrent", {}),
        (
            "añade esta canción a la lista Road Trip",
            "SpotifyAddCurrentToPlaylist",
            {"playlist": "Road Trip"},
        ),
        ("pon Bohemian Rhapsody en Spotify", "SpotifyPlay", {"name": "Bohemian Rhapsody"}),
        (
            "pon el álbum Kind of Blue en Spotify en la cocina",
            "SpotifyPlay",
            {"name": "Kind of Blue", "media_type": "album", "area": "Cocina"},
        ),
        (
            "reproduce la lista Focus en Spotify en la Bedroom TV",
            "SpotifyPlay",
            {"name": "Focus", "media_type": "playlist", "device": "Bedroom TV"},
        ),
        ("pausa Spotify", "SpotifyPause", {}),
        ("reanuda Spotify", "SpotifyResume", {}),
        ("siguiente canción en Spotify", "SpotifyNext", {}),
        ("canción anterior en Spotify", "SpotifyPrevious", {}),
    ],
}

CASES: Final = [
    (language, text, intent, slots)
    for language, samples in SAMPLES.items()
    for text, intent, slots in samples
]


def ours(language: str) -> dict[str, Any]:
    """The shipped file, as YAML."""
    path = SENTENCES / language / "spotify_webapi.yaml"
    loaded = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(loaded, dict), path
    return loaded


@functools.cache
def as_home_assistant_loads(language: str) -> Intents:
    """HA's sentences for the language with ours merged in, marked as custom sentences."""
    custom = ours(language)
    for intent in custom["intents"].values():
        for data in intent["data"]:
            data["metadata"] = {**data.get("metadata", {}), CUSTOM: True}
    builtin = get_intents(language, json_load=json.load)
    assert builtin, f"Home Assistant has no sentences for {language}"
    merge_dict(builtin, custom)
    return Intents.from_dict(builtin)


def slot_lists() -> dict[str, TextSlotList]:
    """The lists HA's default agent passes: areas, exposed entity names, floors."""
    return {
        "area": TextSlotList.from_tuples([(a, a) for a in AREAS], allow_template=False),
        "name": TextSlotList.from_tuples(ENTITIES, allow_template=False),
        "floor": TextSlotList.from_tuples([("Upstairs", "Upstairs")], allow_template=False),
    }


def slots_named(templates: list[str], rules: dict[str, str]) -> set[str]:
    """The slots ``{list:slot}`` (or ``{list}``) the templates fill, through their rules."""
    found: set[str] = set()
    pending, seen = list(templates), set()
    while pending:
        template = pending.pop()
        for list_name, slot in LIST_REF.findall(template):
            found.add(slot or list_name)
        for rule in RULE_REF.findall(template):
            if rule not in seen and rule in rules:
                seen.add(rule)
                pending.append(rules[rule])
    return found


def test_every_language_promised_has_a_file() -> None:
    assert sorted(p.name for p in SENTENCES.iterdir() if p.is_dir()) == sorted(LANGUAGES)
    assert {language for language, *_ in CASES} == set(LANGUAGES)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_file_names_only_our_intents_slots_and_media_types(language: str) -> None:
    custom = ours(language)
    assert custom["language"] == language
    assert set(custom["intents"]) == set(OURS)
    parsed = Intents.from_dict(custom)  # hassil parses every template, or raises
    assert set(parsed.intents) == set(OURS)
    rules = custom.get("expansion_rules", {})
    for name, spec in custom["intents"].items():
        templates = [sentence for data in spec["data"] for sentence in data["sentences"]]
        allowed = {str(key) for key in OURS[name].slot_schema or {}}
        assert slots_named(templates, rules) <= allowed, name
    outputs = {str(value.value_out) for value in parsed.slot_lists["spotify_media_type"].values}
    assert outputs == set(MEDIA_TYPES)
    # Our lists must not be HA's: the agent's own lists (entity names, areas) would win.
    assert not set(custom["lists"]) & set(slot_lists())


@pytest.mark.parametrize(
    ("language", "text", "expected_intent", "expected_slots"),
    CASES,
    ids=[f"{language}: {text}" for language, text, *_ in CASES],
)
def test_samples_reach_our_intent_with_the_right_slots(
    language: str, text: str, expected_intent: str, expected_slots: dict[str, str]
) -> None:
    result = recognize_best(
        text,
        as_home_assistant_loads(language),
        slot_lists=slot_lists(),
        language=language,
        best_metadata_key=CUSTOM,
        best_slot_name="name",
    )

    assert result is not None, text
    assert result.intent.name == expected_intent, text
    slots = {entity.name: entity.value for entity in result.entities_list}
    assert slots == expected_slots, text
    # The handler accepts what the sentence gives it.
    handler = OURS[expected_intent]
    handler.async_validate_slots({name: {"value": value} for name, value in slots.items()})


def documented_examples() -> list[tuple[str, str]]:
    """(language, sentence) of every example docs/voice.md gives."""
    headings = {"English": "en", "Deutsch": "de", "Nederlands": "nl", "Français": "fr"}
    headings["Español"] = "es"
    text = (SENTENCES.parent / "voice.md").read_text(encoding="utf-8")
    examples, language = [], None
    for line in text.partition("## Examples")[2].partition("\n## ")[0].splitlines():
        if line.startswith("**") and line.endswith("**"):
            language = headings[line.strip("*")]
        elif line.startswith("- ") and language is not None:
            examples += [(language, example.strip()) for example in line[2:].split(" · ")]
    return examples


EXAMPLES: Final = documented_examples()


def test_the_documentation_gives_examples_in_every_language() -> None:
    assert {language for language, _ in EXAMPLES} == set(LANGUAGES)
    assert len(EXAMPLES) >= 5 * 8


@pytest.mark.parametrize(("language", "text"), EXAMPLES, ids=[t for _, t in EXAMPLES])
def test_every_documented_example_reaches_one_of_our_intents(language: str, text: str) -> None:
    result = recognize_best(
        text,
        as_home_assistant_loads(language),
        slot_lists=slot_lists(),
        language=language,
        best_metadata_key=CUSTOM,
        best_slot_name="name",
    )

    assert result is not None, text
    assert result.intent.name in OURS, text
