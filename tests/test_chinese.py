"""Reviews written in Chinese (tasks/extract/chinese.py): the router, the Chinese verdict model, person names,
and their hook in extract_review. Every sentence here was written for this test."""
from __future__ import annotations

import pytest

from critics.schemas.records import ParsedPage
from critics.tasks.extract import chinese
from critics.tasks.extract.review import extract_review, find_all_mentions
from critics.tasks.extract.textmodel import default_model as english_model


def _names(text: str) -> list[str]:
    return [text[a:b] for a, b in chinese.find_people(text)]


# --- router ---

def test_english_text_is_not_routed():
    assert chinese.cjk_share("A taut, funny thriller with a great cast.") == 0.0
    assert not chinese.is_chinese("Café society, naïve and charming — “fine”.")
    assert not chinese.is_chinese("")


def test_mostly_cjk_text_is_routed_and_a_few_cjk_words_are_not():
    assert chinese.is_chinese("这部电影很好看，演员 Tom Hanks 的表演很出色。")
    assert chinese.cjk_share("这部电影很好看") == 1.0
    assert not chinese.is_chinese("The film, titled 活着 in Chinese, is a long family saga about survival.")


def test_traditional_characters_fold_to_simplified_keeping_offsets():
    text = "這部電影的導演很優秀"
    simple = chinese.to_simplified(text)
    assert simple == "这部电影的导演很优秀"
    assert len(simple) == len(text)


def test_traditional_and_simplified_sentences_have_the_same_features():
    assert chinese.features(chinese.to_simplified("劇情無聊，演員很差")) == chinese.features("剧情无聊，演员很差")
    assert {"剧", "剧情", "?"} <= chinese.features("剧情呢？")


def test_sentences_split_at_chinese_punctuation_and_line_breaks():
    assert chinese.split_sentences("第一句。第二句！第三句？\n第四句") == ["第一句。", "第二句！", "第三句？\n", "第四句"]


# --- verdict model ---

@pytest.fixture(scope="module")
def model():
    return chinese.default_model()


def test_the_artefact_records_its_source_and_held_out_accuracy(model):
    meta = model.meta
    assert "csuldw/comment-sentiment-analysis" in meta["provenance"]["douban_short_comments"]
    assert meta["evaluation"]["heldout_accuracy"] >= 0.84
    assert len(model.weights) > 10_000


@pytest.mark.parametrize("text, verdict", [
    ("太好看了，演员的表演非常精彩，强烈推荐！", "fresh"),
    ("剧情无聊透顶，完全是浪费时间，太难看了。", "rotten"),
    ("太好看了，演員的表演非常精彩，強烈推薦！", "fresh"),  # Traditional
    ("劇情無聊透頂，完全是浪費時間，太難看了。", "rotten"),
])
def test_clear_sentences_get_the_right_verdict(model, text, verdict):
    assert model.verdict(text)[0] == verdict


def test_a_long_review_is_scored_by_its_sentences_mean(model):
    praise = "画面非常美，配乐动人。演员们的表演都很自然，看得我热泪盈眶。这是今年最好看的电影之一，值得二刷。"
    review = "\n".join([praise, "唯一的缺点是中间节奏有点拖沓。", praise, "总之强烈推荐！"])
    assert model.verdict(review)[0] == "fresh"
    assert model.prob_fresh("") == 0.5


# --- names ---

def test_names_joined_by_a_middle_dot_are_transliterated_foreign_names():
    assert _names("我一眼就认出了小罗伯特·唐尼，他演得很好。") == ["小罗伯特·唐尼"]
    assert _names("他说马丁•斯科塞斯才是大师") == ["马丁•斯科塞斯"]


def test_names_next_to_a_role_word():
    assert _names("本片导演王小明在访谈中说，他拍了三年。") == ["王小明"]
    assert _names("我很喜欢，维伦纽瓦导演在片中用了很多长镜头。") == ["维伦纽瓦"]
    assert _names("這次導演王小明和演員一起出席。") == ["王小明"]  # Traditional: the surface is the text as written


def test_a_name_followed_by_its_years_and_names_listed_after_a_name():
    assert _names("山田太郎 (1930 - 2010)，日本建筑师。") == ["山田太郎"]
    assert _names("他曾在建筑师汤姆·琼斯、坂本健二等人的事务所工作。") == ["汤姆·琼斯", "坂本健二"]


def test_a_name_found_once_is_found_where_it_stands_again():
    assert _names("导演维伦纽瓦很会拍沙漠。后来维伦纽瓦又拍了续集。") == ["维伦纽瓦", "维伦纽瓦"]


def test_text_without_people_gives_none():
    assert _names("这部电影很好看，剧情紧凑，画面也很美。") == []
    assert _names("这部电影的导演在片尾出现了。") == []


# --- the hook in extract_review ---

def _page(text: str) -> ParsedPage:
    return ParsedPage(url="http://127.0.0.1/r.html", canonical_url="http://127.0.0.1/r.html", body_text=text)


def test_an_unrated_chinese_review_takes_its_verdict_from_the_chinese_model(model):
    text = "太好看了，演员的表演非常精彩，强烈推荐！导演王小明这次拍得很用心。"
    review = extract_review(_page(text))
    assert review.verdict_source == "model"
    assert review.verdict_confidence == model.prob_fresh(text)
    assert review.verdict == "fresh"


def test_chinese_person_mentions_carry_the_name_as_written():
    text = "導演王小明這次拍得很用心，小罗伯特·唐尼也很出色。"
    mentions = find_all_mentions(text, _page(text), english_model())
    people = [(m.name, m.surface, m.kind) for m in mentions if m.kind == "person"]
    assert people == [("王小明", "王小明", "person"), ("小罗伯特·唐尼", "小罗伯特·唐尼", "person")]
    assert all(text[m.char_start:m.char_end] == m.surface for m in mentions)


def test_an_english_review_keeps_the_english_model():
    text = "A warm, funny and beautifully acted film. Highly recommended."
    review = extract_review(_page(text))
    assert review.verdict_confidence == english_model().prob_fresh(text)


def test_a_chinese_mention_takes_its_sentiment_from_the_chinese_model():
    text = "导演王小明拍得太好看了，画面非常美，强烈推荐！"
    mention = next(m for m in find_all_mentions(text, _page(text), english_model()) if m.kind == "person")
    assert mention.sentiment > 0.3
    assert chinese.default_model().sentence_sentiment("剧情无聊透顶。太难看了。") < -0.3


def test_english_reviews_never_load_the_segmenter():
    """jieba's dictionary takes ~2 s to load: a process that extracts only English reviews must not pay it."""
    import subprocess
    import sys

    code = ("import sys; from critics.schemas.records import ParsedPage; "
            "from critics.tasks.extract.review import extract_review; "
            "extract_review(ParsedPage(url='u', canonical_url='u', body_text='A warm and funny film. Jane Doe shines.')); "
            "print('jieba' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == "False"
