"""The public search for a commune by what people type: its name with or without accents, "xã" or
"UBND" in front, its district or province after it, a former name, a successor's or predecessor's name,
or its official code.

Everything is matched in SQL on folded columns (``search_name``, ``search_former_names``), so a search
costs the same few queries for ten communes as for the country's twenty thousand rows, on SQLite and on
PostgreSQL alike."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from django.db.models import Case, IntegerField, Prefetch, Q, Value, When

from communes.models import Commune, District, Province
from communes.models.units import official_name, search_tokens
from communes.selectors.units import with_successors_today

SEARCH_LIMIT = 50
SUGGEST_LIMIT = 8
# A unit's name, its district's and its province's hold fewer words; more add nothing but SQL.
MAX_WORDS = 8
UNIT_CODE = re.compile(r"\d{5}")

# Words that say what kind of unit follows, folded, each with the one accented spelling that can only
# mean the type. A plain spelling ("quan", "tinh") is also a name ("Quan Sơn", "Hà Tĩnh"): it is left out
# only in front of another word, where the type word stands ("tinh bac giang", not "ha tinh").
_TYPE_WORDS: dict[tuple[str, ...], tuple[str, ...]] = {
    ("thi", "tran"): ("thị", "trấn"),
    ("thi", "xa"): ("thị", "xã"),
    ("thanh", "pho"): ("thành", "phố"),
    ("dac", "khu"): ("đặc", "khu"),
    ("xa",): ("xã",),
    ("phuong",): ("phường",),
    ("huyen",): ("huyện",),
    ("quan",): ("quận",),
    ("tinh",): ("tỉnh",),
}
# Words no name holds: the People's Committee (Ủy/Uỷ ban nhân dân, UBND) and the short types.
_ALWAYS_LEFT_OUT: tuple[tuple[str, ...], ...] = (("uy", "ban", "nhan", "dan"), ("ubnd",), ("tp",), ("tx",), ("tt",))


@dataclass(frozen=True)
class SearchWords:
    """A query read as words: ``words`` must each match; ``phrases`` are what a whole name equal to the
    query reads like (the words, and, when a plain type-like word was left out, the words with it)."""

    words: tuple[str, ...] = ()
    phrases: tuple[str, ...] = ()


@dataclass(frozen=True)
class CommuneSearchResult:
    communes: list[Commune]
    has_more: bool
    limit: int
    words: tuple[str, ...] = ()


def _typed_tokens(query: str) -> list[tuple[str, str]]:
    """Each word of ``query`` folded, beside how it was typed (lower case, composed), to tell "tỉnh"
    from "tĩnh" and "tinh". Words are split as search_tokens splits them."""
    typed = unicodedata.normalize("NFC", query.lower().replace("’", "'"))
    spaced = "".join(c if c.isalnum() or c == "'" else " " for c in typed)
    return [(folded, word) for word in spaced.split() for folded in search_tokens(word)]


def _left_out(tokens: list[tuple[str, str]], i: int) -> tuple[int, bool]:
    """How many words from ``i`` are a type word or "UBND" to leave out (0: none), and whether they
    might be a name too (typed plainly, "quan"), so that a name equal to all the words still ranks first."""
    folded = tuple(token for token, _typed in tokens)
    for seq in _ALWAYS_LEFT_OUT:
        if folded[i : i + len(seq)] == seq:
            return len(seq), False
    for seq, accented in _TYPE_WORDS.items():
        if folded[i : i + len(seq)] != seq:
            continue
        typed = [word for _token, word in tokens[i : i + len(seq)]]
        plain = typed == list(seq)
        if all(word in (bare, accent) for word, bare, accent in zip(typed, seq, accented, strict=True)) and (
            not plain or i + len(seq) < len(tokens)
        ):
            return len(seq), plain
    return 0, False


def search_words(query: str) -> SearchWords:
    """'UBND xã Quảng Minh' → words ('quang', 'minh'); 'quan son' → words ('son',) and phrases
    ('son', 'quan son'); 'Hà Tĩnh' and 'ha tinh' keep both words."""
    tokens = _typed_tokens(query)
    kept, everything, i = [], [], 0
    while i < len(tokens):
        count, maybe_name = _left_out(tokens, i)
        if count:
            if maybe_name:
                everything.extend(token for token, _typed in tokens[i : i + count])
            i += count
            continue
        kept.append(tokens[i][0])
        everything.append(tokens[i][0])
        i += 1
    kept, everything = kept[:MAX_WORDS], everything[:MAX_WORDS]
    if not kept:
        return SearchWords()
    return SearchWords(words=tuple(kept), phrases=tuple(dict.fromkeys([" ".join(kept), " ".join(everything)])))


@dataclass(frozen=True)
class _Word:
    """A word searched; the last one typed may be unfinished ("quang m"), so it matches the start of a
    word, the others whole words only ("tan" does not find "Tăng")."""

    text: str
    whole: bool

    def in_name(self, name: str) -> bool:
        return any(
            token == self.text or (not self.whole and token.startswith(self.text)) for token in search_tokens(name)
        )


def _words(words: tuple[str, ...]) -> list[_Word]:
    return [_Word(text=word, whole=index < len(words) - 1) for index, word in enumerate(words)]


def _own_name_has(word: _Word, prefix: str = "") -> Q:
    """The unit behind ``prefix`` has ``word`` in its name (``search_name``, folded, words between spaces)."""
    field = f"{prefix}search_name"
    if word.whole:
        return (
            Q(**{field: word.text})
            | Q(**{f"{field}__startswith": f"{word.text} "})
            | Q(**{f"{field}__contains": f" {word.text} "})
            | Q(**{f"{field}__endswith": f" {word.text}"})
        )
    return Q(**{f"{field}__startswith": word.text}) | Q(**{f"{field}__contains": f" {word.text}"})


def _name_has(word: _Word, prefix: str = "") -> Q:
    """The unit behind ``prefix`` has ``word`` in its name or a former name (``search_former_names``
    puts a space before every word and after every name's last)."""
    former = f" {word.text} " if word.whole else f" {word.text}"
    return _own_name_has(word, prefix) | Q(**{f"{prefix}search_former_names__contains": former})


def _word_matches(word: _Word, *, by_code: bool) -> Q:
    """A commune that ``word`` finds by itself: by its own or a former name, its district's or province's
    name, or, for five digits and ``by_code``, its code. District and province are read through
    subqueries that the database runs once, not once per commune."""
    found = (
        _name_has(word)
        | Q(district__in=District.objects.filter(_name_has(word)).values("pk"))
        | Q(province__in=Province.objects.filter(_name_has(word)).values("pk"))
    )
    if by_code and UNIT_CODE.fullmatch(word.text):
        found |= Q(code=word.text)
    return found


def _matches(words: list[_Word]) -> Q:
    """Communes that every word finds (see _word_matches), and those whose successor or predecessor every
    word finds by name: "vân hà" finds phường Quảng Minh, which became part of phường Vân Hà, and
    "quảng minh" finds phường Vân Hà. The words must all find the same related unit, so that two
    predecessors do not make up a name between them; a code finds only the unit that bears it."""
    direct, by_name = Q(), Q()
    for word in words:
        direct &= _word_matches(word, by_code=True)
        by_name &= _word_matches(word, by_code=False)
    related = Commune.objects.filter(by_name).values("pk")
    links = Commune.successors.through.objects
    return (
        direct
        | Q(pk__in=links.filter(to_commune__in=related).values("from_commune_id"))
        | Q(pk__in=links.filter(from_commune__in=related).values("to_commune_id"))
    )


def _closeness(words: SearchWords):
    """0: the name (or the code) is what was typed; 1: a former name is; 2: the name starts with it;
    3: the name holds every word; 4: found through its district, province, successors or predecessors."""
    equal, former_equal, starts = Q(), Q(), Q()
    for phrase in words.phrases:
        equal |= Q(search_name=phrase) | Q(code=phrase)
        former_equal |= Q(search_former_names__contains=f" {phrase} |")
        starts |= Q(search_name__startswith=phrase)
    own = Q()
    for word in _words(words.words):
        own &= _own_name_has(word)
    return Case(
        When(equal, then=Value(0)),
        When(former_equal, then=Value(1)),
        When(starts, then=Value(2)),
        When(own, then=Value(3)),
        default=Value(4),
        output_field=IntegerField(),
    )


def _former_names_with(unit, words: list[_Word]) -> list[str]:
    """The unit's former official names that hold a word searched which its present name lacks, oldest
    first, each once: what it was found by."""
    missing = [word for word in words if not word.in_name(unit.name)]
    return list(
        dict.fromkeys(
            official_name(former["division_type"], former["name"])
            for former in sorted(unit.former_names, key=lambda former: former["valid_until"])
            if any(word.in_name(former["name"]) for word in missing)
        )
    )


@dataclass(frozen=True)
class FormedFrom:
    """A unit a search result was formed from, found by its name or by ``formerly``, its former names."""

    unit: Commune
    formerly: list[str]


def _found_by(unit, words: list[_Word]) -> bool:
    """Whether every word is in the unit's name, a former name, or its district's or province's name:
    what made a related unit match in SQL (see _matches)."""
    names = [unit.name, *(former["name"] for former in unit.former_names)]
    names += [parent.name for parent in (unit.district, unit.province) if parent is not None]
    return all(any(word.in_name(name) for name in names) for word in words)


def _explain(commune: Commune, words: list[_Word]) -> None:
    """How a commune that its own name does not explain was found: ``search_formerly``, its former names
    that hold a word searched, and ``search_formed_from``, the units it was formed from that the words
    find. Both empty when its own name holds every word."""
    commune.search_formerly, commune.search_formed_from = [], []
    if all(word.in_name(commune.name) for word in words):
        return
    commune.search_formerly = _former_names_with(commune, words)
    for unit in commune.search_predecessors:
        if _found_by(unit, words):
            commune.search_formed_from.append(FormedFrom(unit=unit, formerly=_former_names_with(unit, words)))


def commune_search(*, query: str, limit: int = SEARCH_LIMIT) -> CommuneSearchResult:
    """Communes that every word of ``query`` finds (see search_words and _matches), in force today first,
    then those whose name is closest to what was typed, then by name and code. Each carries
    ``successors_today`` (the units an ended one is part of now) and, when it was found by another name,
    ``search_formerly`` and ``search_formed_from``. Three queries whatever the number of units; one when
    nothing is found."""
    words = search_words(query)
    if not words.words:
        return CommuneSearchResult(communes=[], has_more=False, limit=limit)
    communes = list(
        Commune.objects.filter(_matches(_words(words.words)))
        .annotate(
            search_ended=Case(When(valid_until__isnull=True, then=Value(0)), default=Value(1)),
            search_closeness=_closeness(words),
        )
        .select_related("province", "district")
        .prefetch_related(
            Prefetch(
                "predecessors",
                queryset=Commune.objects.select_related("district", "province").order_by("search_name", "code"),
                to_attr="search_predecessors",
            )
        )
        .order_by("search_ended", "search_closeness", "search_name", "code")[: limit + 1]
    )
    shown = with_successors_today(communes[:limit])
    for commune in shown:
        _explain(commune, _words(words.words))
    return CommuneSearchResult(communes=shown, has_more=len(communes) > limit, limit=limit, words=words.words)
