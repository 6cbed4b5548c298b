"""Sources: one canonical outlet per citation, name, link or URL."""

from __future__ import annotations

from pathlib import Path
from re import _constants, _parser

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from claims.citations import outside_quotations, read_citations
from claims.errors import DataFileError
from claims.model import Citation
from claims.parse import parse
from claims.sources import (
    _MARKUP_EXTERNAL,
    _MARKUP_LINK,
    COLUMNS,
    SourceRegistry,
    _norm,
    _rules,
    _split,
    clean_name,
    read_rows,
)

SEED = Path(__file__).resolve().parents[1] / "seeds" / "battle-of-aleppo-2024.wiki"


@pytest.fixture(scope="module")
def registry() -> SourceRegistry:
    return SourceRegistry.default()


def key(registry: SourceRegistry, name: str) -> str | None:
    found = registry.lookup(name)
    return found.key if found else None


# -- the data file ----------------------------------------------------------------------------


def test_registry_file_has_unique_keys_aliases_domains_and_known_kinds() -> None:
    rows = read_rows()
    assert len(rows) >= 250
    kinds = _rules().kinds
    keys: set[str] = set()
    names: dict[str, str] = {}
    domains: dict[str, str] = {}
    for row in rows:
        assert set(COLUMNS) <= set(row)
        assert row["key"] and row["name"], row
        assert row["key"] not in keys, row["key"]
        keys.add(row["key"])
        assert row["kind"] in kinds, (row["key"], row["kind"])
        every = [row["key"], row["name"], *_split(row["aliases"]), *_split(row["links"])]
        for alias in {_norm(a.removeprefix("~"), _rules().qualifier_words) for a in every}:
            assert alias, row["key"]
            assert names.setdefault(alias, row["key"]) == row["key"], (alias, row["key"])
        for domain in _split(row["domains"]):
            assert domain == domain.lower().strip() and "://" not in domain, domain
            assert domains.setdefault(domain, row["key"]) == row["key"], domain


def test_registry_covers_the_outlets_conflict_articles_cite_most(registry: SourceRegistry) -> None:
    for wanted in (
        "SOHR",
        "AP",
        "AFP",
        "Reuters",
        "TASS",
        "RIA",
        "ANHA",
        "SANA",
        "IRNA",
        "ISW",
        "Airwars",
        "ACLED",
        "OCHA",
        "HRW",
        "Bellingcat",
        "Oryx",
        "BBC",
        "Al Jazeera",
        "RT",
        "Al Manar",
        "Al-Masirah",
        "Press TV",
        "IDF",
        "Russian MoD",
        "CENTCOM",
        "NYT",
        "Haaretz",
        "Kyiv Independent",
        "Meduza",
        "Enab Baladi",
        "KCNA",
    ):
        assert wanted in registry.by_key, wanted
    kinds = {s.kind for s in registry.by_key.values()}
    assert {"news agency", "monitor", "state media", "party-affiliated", "military"} <= kinds


def test_bad_registry_rows_are_named_in_the_error() -> None:
    good = {
        "key": "X1",
        "name": "Outlet One",
        "kind": "newspaper",
        "country": "",
        "aliases": "",
        "domains": "one.example",
        "links": "",
    }
    with pytest.raises(DataFileError, match="unknown kind"):
        SourceRegistry.from_rows([{**good, "kind": "tabloid"}])
    with pytest.raises(DataFileError, match="already used"):
        SourceRegistry.from_rows([good, {**good, "domains": "two.example"}])
    with pytest.raises(DataFileError, match="names both"):
        SourceRegistry.from_rows([good, {**good, "key": "X2", "domains": "", "aliases": "X1"}])
    with pytest.raises(DataFileError, match="domain"):
        SourceRegistry.from_rows([good, {**good, "key": "X2", "name": "Two"}])


# -- lookups by name --------------------------------------------------------------------------


def test_all_names_of_an_outlet_give_one_key(registry: SourceRegistry) -> None:
    for name in (
        "Syrian Observatory for Human Rights",
        "syriahr.com",
        "SOHR",
        "[[Syrian Observatory for Human Rights]]",
        "The Syrian Observatory",
    ):
        assert key(registry, name) == "SOHR", name
    for name in ("AP News", "Associated Press", "apnews.com", "The Associated Press", "AP"):
        assert key(registry, name) == "AP", name


def test_lookup_ignores_case_leading_the_punctuation_and_accents(registry: SourceRegistry) -> None:
    assert key(registry, "the new york times") == "NYT"
    assert key(registry, "New York Times") == "NYT"
    assert key(registry, "Al-Jazeera") == key(registry, "Al Jazeera") == "Al Jazeera"
    assert key(registry, "Hurriyet Daily News") == key(registry, "Hürriyet") == "Hürriyet"
    assert key(registry, "''Asharq Al-Awsat''") == "Asharq Al-Awsat"


def test_lookup_drops_kind_qualifiers_and_news_suffixes(registry: SourceRegistry) -> None:
    assert key(registry, "Hawar (news agency)") == "ANHA"
    assert key(registry, "Anadolu Agency") == key(registry, "Anadolu") == "Anadolu"
    assert key(registry, "Kurdistan 24 News") == "Kurdistan 24"
    assert key(registry, "Al Arabiya English") == "Al Arabiya"
    assert key(registry, "Tasnim News Agency") == key(registry, "Tasnim News") == "Tasnim"


def test_lookup_never_takes_a_lone_word_for_the_outlet_named_after_it(
    registry: SourceRegistry,
) -> None:
    assert key(registry, "Arab News") == "Arab News"
    assert key(registry, "Arab") is None
    assert key(registry, "Iraqi") is None


def test_lookup_keeps_qualifiers_that_tell_outlets_apart(registry: SourceRegistry) -> None:
    lebanon = key(registry, "Daily Star (Lebanon)")
    britain = key(registry, "Daily Star (UK)")
    assert lebanon and britain and lebanon != britain
    assert key(registry, "The Daily Star") is None  # ambiguous: never guessed


def test_near_miss_names_resolve_with_rapidfuzz(registry: SourceRegistry) -> None:
    assert key(registry, "Syrian Observatory of Human Rights") == "SOHR"
    assert key(registry, "Asociated Press") == "AP"
    assert key(registry, "Kyiv Independant") == "Kyiv Independent"


def test_near_miss_never_merges_different_outlets(registry: SourceRegistry) -> None:
    assert key(registry, "The Times") != key(registry, "The New York Times")
    assert key(registry, "Al Arabiya") != key(registry, "Al Jazeera")
    assert key(registry, "Times of Israel") != key(registry, "Times of India")
    assert key(registry, "Russian Defence Ministry") != key(registry, "Syrian Defence Ministry")
    assert key(registry, "Iraqi Ministry of Defence") is None
    assert key(registry, "Channel 13") is None
    assert key(registry, "Kyiv Independent") != key(registry, "The Independent")


def test_unknown_name_is_none(registry: SourceRegistry) -> None:
    assert registry.lookup("Tishreen Gazette of Nowhere") is None
    assert registry.lookup("") is None


# -- lookups by URL ---------------------------------------------------------------------------


def test_from_url_strips_www_and_subdomains(registry: SourceRegistry) -> None:
    assert registry.from_url("https://edition.cnn.com/2024/11/30/x").key == "CNN"
    assert registry.from_url("https://english.alarabiya.net/News/x").key == "Al Arabiya"
    assert registry.from_url("www.bbc.co.uk/news/world").key == "BBC"
    assert registry.from_url("https://news.example.org/x") is None


def test_from_url_unwraps_archives_and_caches(registry: SourceRegistry) -> None:
    wayback = "https://web.archive.org/web/20241201185049/https://www.politico.eu/article/x/"
    assert registry.from_url(wayback).key == "Politico"
    assert (
        registry.from_url("http://web.archive.org/web/2016id_/http://syriahr.com/en/1").key
        == "SOHR"
    )
    assert registry.from_url("https://archive.ph/2024.12.01-1/https://www.bbc.com/x").key == "BBC"
    assert registry.from_url("http://archive.today/o/Ab1/https://tass.com/x").key == "TASS"
    assert registry.from_url("https://archive.is/AbCdE") is None  # short id: original unknown
    assert registry.from_url("https://archive.org/details/warreport1999").key == "Internet Archive"
    cited = "http://www.webcitation.org/6Abc?url=http://www.haaretz.com/news/1"
    assert registry.from_url(cited).key == "Haaretz"
    cache = (
        "https://webcache.googleusercontent.com/search?q=cache:Xy12AbCd34:https://www.nytimes.com/x"
    )
    assert registry.from_url(cache).key == "NYT"


def test_from_url_names_social_channels_and_handles(registry: SourceRegistry) -> None:
    assert registry.from_url("https://t.me/rybar/61234").key == "Rybar"
    assert registry.from_url("https://twitter.com/IDF/status/1").key == "IDF"
    channel = registry.from_url("https://t.me/s/frontline_notes/553")
    assert (channel.key, channel.kind, channel.known) == ("@frontline_notes", "social media", False)
    handle = registry.from_url("https://x.com/SomeAnalyst/status/18")
    assert (handle.name, handle.kind) == ("@SomeAnalyst", "social media")
    assert registry.from_url("https://x.com/i/status/18").key == "X"


def test_a_tweet_cited_by_its_user_is_the_account_its_links_name(registry: SourceRegistry) -> None:
    tweet = Citation(work="SomeAnalyst", template="cite tweet")
    linked = registry.from_url("https://x.com/SomeAnalyst/status/18")
    assert registry.resolve(tweet).key == linked.key == "@SomeAnalyst"
    assert registry.resolve(Citation(work="IDF", template="cite tweet")).key == "IDF"


# -- citations --------------------------------------------------------------------------------


def test_resolve_prefers_work_then_publisher_then_links_then_url(registry: SourceRegistry) -> None:
    assert (
        registry.resolve(Citation(work="BBC", publisher="British Broadcasting Corp")).key == "BBC"
    )
    assert registry.resolve(Citation(publisher="Syrian Observatory for Human Rights")).key == "SOHR"
    assert registry.resolve(Citation(links=("Hawar News Agency",))).key == "ANHA"
    assert registry.resolve(Citation(url="https://tass.com/politics/1")).key == "TASS"


def test_resolve_publishing_outlet_is_source_and_agency_is_relay(registry: SourceRegistry) -> None:
    carried = Citation(work="The Jerusalem Post", agency="Reuters", title="Officer killed")
    assert registry.resolve(carried).key == "Jerusalem Post"
    assert registry.relay(carried) == "Reuters"
    as_publisher = Citation(work="The Jerusalem Post", publisher="Reuters", title="x")
    assert registry.relay(as_publisher) == "Reuters"
    state = Citation(work="Al-Masdar News", publisher="Syrian Arab News Agency")
    assert (registry.resolve(state).key, registry.relay(state)) == ("AMN", "SANA")


def test_resolve_aggregator_gives_way_to_the_outlet_it_carries(registry: SourceRegistry) -> None:
    yahoo = Citation(work="Yahoo News", agency="Reuters", url="https://news.yahoo.com/x")
    assert registry.resolve(yahoo).key == "Reuters"
    assert registry.relay(yahoo) == ""
    relief = Citation(work="ReliefWeb", publisher="OCHA", url="https://reliefweb.int/report/x")
    assert registry.resolve(relief).key == "OCHA"
    assert registry.resolve(Citation(work="reliefweb.int")).key == "ReliefWeb"


def test_resolve_skips_section_names_in_work(registry: SourceRegistry) -> None:
    cited = Citation(work="Middle East", publisher="BBC News")
    assert registry.resolve(cited).key == "BBC"


def test_resolve_unknown_outlet_keeps_its_clean_name(registry: SourceRegistry) -> None:
    unknown = registry.resolve(Citation(work="''[[Aleppo Today|Halab Al-Youm]]''"))
    assert (unknown.key, unknown.name, unknown.kind, unknown.known) == (
        "Halab Al-Youm",
        "Halab Al-Youm",
        "unknown",
        False,
    )
    by_domain = registry.resolve(Citation(url="https://www.obscure-outlet.example/a/1"))
    assert (by_domain.key, by_domain.known) == ("obscure-outlet.example", False)


def test_resolve_unknown_domain_as_work_keeps_the_bare_domain(registry: SourceRegistry) -> None:
    assert registry.resolve(Citation(work="www.obscure-outlet.example")).key == (
        "obscure-outlet.example"
    )


def test_resolve_unknown_outlet_kind_follows_the_template(registry: SourceRegistry) -> None:
    book = registry.resolve(Citation(template="cite book", publisher="Routledge"))
    journal = registry.resolve(Citation(template="cite journal", work="Journal of Sieges"))
    assert (book.kind, journal.kind) == ("book", "journal")


def test_resolve_bare_ref_reads_url_or_outlet_in_text(registry: SourceRegistry) -> None:
    bare = Citation(text="See https://www.aljazeera.com/news/2024/1 for details")
    assert registry.resolve(bare).key == "Al Jazeera"
    plain = Citation(text="Syrian Observatory for Human Rights, 3 December 2024.")
    assert registry.resolve(plain).key == "SOHR"
    named = Citation(text="Interview with the mayor, local radio, 2019.")
    assert registry.resolve(named).key == "Interview with the mayor"


def test_resolve_is_never_empty_when_the_citation_names_anything(registry: SourceRegistry) -> None:
    for citation in (Citation(work="x"), Citation(url="http://a.b/c"), Citation(text="Notes")):
        assert registry.resolve(citation).key
    assert registry.resolve(Citation(author="Lister, Charles", title="x")).key == "Lister, Charles"
    tweet = registry.resolve(Citation(template="cite tweet", title="Enemy losses: 1,200"))
    assert (tweet.key, tweet.kind) == ("(unnamed)", "social media")
    assert registry.resolve(Citation()).key == ""


# -- relays and mentions -------------------------------------------------------------------


def test_relay_reads_citing_according_to_said_and_headline_tails(
    registry: SourceRegistry,
) -> None:
    afp = Citation(work="France 24", agency="AFP")
    assert registry.relay(afp, "20 killed in Idlib, citing SOHR") == "SOHR"
    assert registry.relay(afp, "Toll rises to 30, according to the Syrian Observatory") == "SOHR"
    assert registry.relay(afp, "SOHR said 12 fighters died") == "SOHR"
    assert registry.relay(afp, "Air strikes kill 11 in Idlib - monitor") == "SOHR"
    assert registry.relay(afp, "Airstrikes kill 9 in Raqqa: Airwars") == "Airwars"
    assert registry.relay(afp, "Strikes kill 9 in Raqqa") == "AFP"  # the agency it carries


def test_relay_word_inside_an_outlet_name_is_that_outlet(registry: SourceRegistry) -> None:
    cited = Citation(work="Daily Sabah")
    assert registry.relay(cited, "Middle East Monitor said 14 were killed") == "MEMO"
    assert registry.relay(cited, "Syrian Observatory: 14 killed in Afrin") == "SOHR"


def test_relay_is_empty_when_the_relayed_outlet_is_the_source(registry: SourceRegistry) -> None:
    own = Citation(publisher="Syrian Observatory for Human Rights", title="SOHR: 40 killed")
    assert registry.relay(own) == ""
    assert registry.relay(Citation(work="Reuters"), "Israel strikes Al Jazeera office") == ""


def test_mentions_find_outlets_in_running_text(registry: SourceRegistry) -> None:
    text = "According to the SOHR, 40 died; the Syrian Observatory and Reuters later said 45."
    found = [(text[s:e], src.key) for s, e, src in registry.mentions(text)]
    assert found == [("SOHR", "SOHR"), ("Syrian Observatory", "SOHR"), ("Reuters", "Reuters")]


def test_mentions_skip_common_words_and_longer_names(registry: SourceRegistry) -> None:
    text = (
        "The National Army advanced with independent units; Arab news outlets said the "
        "Independent Brigade lost 60 minutes of radio time, and the IDF struck."
    )
    assert registry.mentions(text) == []
    assert [s.key for _, _, s in registry.mentions("al-Jazeera and The Guardian reported")] == [
        "Al Jazeera",
        "The Guardian",
    ]


def test_clean_name_strips_markup() -> None:
    assert clean_name("''[[The Guardian|Guardian]]''") == "Guardian"
    assert clean_name("<span>Rudaw</span>.") == "Rudaw"


# -- the seed ---------------------------------------------------------------------------------


def test_seed_citations_resolve_to_canonical_outlets() -> None:
    citations = read_citations(parse(SEED.read_text(encoding="utf-8"))).citations
    registry = SourceRegistry(SourceRegistry.default().outlets)  # loaded, caches empty
    sources = [registry.resolve(c) for c in citations]
    keys = {s.key for s in sources}
    assert {"SOHR", "ANHA", "TASS", "Reuters", "AP", "BBC", "NYT", "ISW", "Anadolu"} <= keys
    assert all(s.key for s in sources)
    assert sum(s.known for s in sources) >= len(sources) - 4


@settings(max_examples=150, deadline=None)
@given(work=st.text(max_size=40), url=st.text(max_size=60), text=st.text(max_size=60))
@example(work="", url="-", text="0")  # a URL that is only punctuation names no outlet
@example(work="", url="", text="; 0")  # a plain ref whose first part is empty
def test_any_input_resolves_without_error(work: str, url: str, text: str) -> None:
    registry = SourceRegistry.default()
    registry.lookup(work)
    registry.from_url(url)
    registry.mentions(text)
    source = registry.resolve(Citation(work=work, url=url, text=text))
    if clean_name(work) or clean_name(text):
        assert source.key
    assert isinstance(registry.relay(Citation(work=work, title=text), text), str)


# -- quotation refs and plain book refs ------------------------------------------------------


def _plain_ref(body: str) -> Citation:
    index = read_citations(parse(f"Text.<ref>{body}</ref>"))
    return index.citations[0]


def test_text_outside_quotations_drops_the_quoted_passage():
    assert outside_quotations('Smith (2004), p. 12. "...the Red Army lost 40,000..."') == (
        "Smith (2004), p. 12."
    )
    assert outside_quotations("“Headline”, Reuters, 3 May") == ", Reuters, 3 May"
    assert outside_quotations('Jones, p. 4: "unclosed quote runs on') == "Jones, p. 4:"


def test_links_inside_a_quotation_are_not_the_refs_links():
    cited = _plain_ref('[[Reuters]], 3 May. "the [[Red Army]] lost 40,000 men"')
    assert cited.links == ("Reuters",)
    quoted = _plain_ref("Keegan 1976, p. 45. <blockquote>The [[Wehrmacht]] lost.</blockquote>")
    assert quoted.links == ()
    assert "“The Wehrmacht lost.”" in quoted.text


@pytest.mark.parametrize(
    ("body", "author"),
    [
        ("Smith, John (2004). ''The War''. p. 12.", "Smith, John"),
        ("Keegan 1976, p. 45.", "Keegan"),
        ("Louis R. Gottschalk, ''The Era'' (1929) p. 281", "Gottschalk, Louis R."),
        ("Alexis de Tocqueville, ''The Old Regime'', p. 9", "de Tocqueville, Alexis"),
        ('Amos Carter, "Report", quoted in [[#Whitcombe|Whitcombe]], pp. 231–232', "Whitcombe"),
        ("''The War'', p. 12", ""),  # no author before the title
        ("Smith, John (2004). ''The War''.", ""),  # no page: not written as a book
        ("[[Reuters]], 3 March 2016, p. 2", ""),  # a date is no name
        ('Jones, "...see p. 4 of the report..."', ""),  # the page is inside the quotation
    ],
)
def test_plain_book_ref_author(body, author):
    assert _plain_ref(body).author == author


def test_plain_book_ref_resolves_to_its_author(registry):
    source = registry.resolve(
        _plain_ref("Smith, John (2004). ''The War''. p. 12. \"...the [[Red Army]] lost...\"")
    )
    assert (source.key, source.name, source.kind) == ("Smith", "John Smith", "book")


def test_known_outlet_named_outside_the_quotation_is_the_source(registry):
    source = registry.resolve(_plain_ref('Carter, Jim. "Blast at the market". BBC News. p. 4.'))
    assert source.key == "BBC"
    quoted = registry.resolve(_plain_ref('Hartley, p. 8: "the BBC reported 700 dead"'))
    assert quoted.key == "Hartley"


def test_ref_of_only_a_quotation_is_unnamed(registry):
    assert registry.resolve(_plain_ref('"...the [[Red Army]] lost 990 men..."')).key == "(unnamed)"


def _unbounded_repeats(tree: _parser.SubPattern) -> list[object]:
    """The kind (greedy, lazy, possessive) of each repeat without an upper bound in a parsed
    pattern, however deep in groups, alternatives and lookarounds."""
    found: list[object] = []
    for op, av in tree:
        if op in (_constants.MAX_REPEAT, _constants.MIN_REPEAT, _constants.POSSESSIVE_REPEAT):
            _, high, body = av
            if high == _constants.MAXREPEAT:
                found.append(op)
            found += _unbounded_repeats(body)
        elif op is _constants.SUBPATTERN:
            found += _unbounded_repeats(av[-1])
        elif op is _constants.BRANCH:
            for branch in av[1]:
                found += _unbounded_repeats(branch)
        elif op in (_constants.ASSERT, _constants.ASSERT_NOT):
            found += _unbounded_repeats(av[1])
        elif op is _constants.ATOMIC_GROUP:
            found += _unbounded_repeats(av)
    return found


@pytest.mark.parametrize("pattern", [_MARKUP_LINK, _MARKUP_EXTERNAL], ids=["link", "external"])
def test_markup_links_never_give_back_what_they_read(pattern):
    # a repeat that may give back what it read ("\\S+" before "[^\\]]*") retries the rest of
    # a name of one unclosed "[//aaa..." once per letter: each repeat must keep what it read
    repeats = _unbounded_repeats(_parser.parse(pattern.pattern))
    assert repeats
    assert all(op is _constants.POSSESSIVE_REPEAT for op in repeats), repeats


@pytest.mark.parametrize(
    "raw, pattern, closed, reach",
    [
        ("[[" * 20_000, _MARKUP_LINK, "a]]", len("[[[a]]")),
        ("[[a|" * 15_000, _MARKUP_LINK, "b]]", len("[[a|b]]")),
        ("[//a b" * 10_000, _MARKUP_EXTERNAL, "]", len("[//a b]")),
        ("[//" + "a" * 60_000, _MARKUP_EXTERNAL, " b]", len("[//") + 60_000 + len(" b]")),
    ],
    ids=["open links", "open piped links", "open labelled urls", "one long url"],
)
def test_clean_name_of_unclosed_brackets_costs_its_length(raw, pattern, closed, reach):
    # each of these took seconds when a failed link re-read the rest of the name from every
    # opening bracket: a link read from one "[[" (a URL from one "[") stops at the next, so
    # closing the name closes only the last of them, and each bracket's reading is that short
    assert clean_name(raw)
    text = raw + closed
    found = pattern.search(text)
    assert found is not None and found.end() == len(text)
    assert len(found.group(0)) <= reach, found.start()


def test_clean_name_reads_links_as_before():
    assert clean_name("[[Al Jazeera English|Al Jazeera]]") == "Al Jazeera"
    assert clean_name("[https://www.bbc.co.uk BBC News] online") == "BBC News online"
    assert clean_name("[[Reuters]] and [[Associated Press|AP]]") == "Reuters and AP"
