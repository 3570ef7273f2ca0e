"""Fake MT engines speaking the LibreTranslate and OpenAI chat-completions APIs on a loopback server.

"Translation" is a dictionary lookup, word by word, so every output is known in
advance: known English words become Chinese, anything else (names, codes,
placeholders) is copied as NMT engines copy what they cannot read, and spaces
next to Chinese go. Each fake can be told to misbehave: ``faults`` are replies
served before any real answer (500, 429, HTML, malformed JSON...), ``delay``
slows every answer, ``mangle`` makes LibreTranslate do what engines writing
Chinese do to placeholders, ``ignore_terms`` makes the chat model disregard
the glossary in its instructions.
"""

from __future__ import annotations

import json
import re
import typing as t

from loopback import LoopbackServer, Reply, Request

WORDS = {
    "the": "", "a": "", "said": "表示", "today": "今日", "government": "政府", "will": "將",
    "review": "檢討", "rates": "利率", "and": "及", "new": "新", "plan": "計劃", "for": "", "welcomes": "歡迎",
    "development": "發展", "of": "的", "measures": "措施",
}
CHINESE_PUNCTUATION = str.maketrans({".": "。", ",": "，", ";": "；"})


def dictionary_translate(text: str) -> str:
    """English → "Chinese" by lookup.

    >>> dictionary_translate("The [[T1]] said today.")
    '[[T1]]表示今日。'
    """
    out = re.sub(r"[A-Za-z]+", lambda m: WORDS.get(m.group(0).lower(), m.group(0)), text)
    out = re.sub(r"\s+", " ", out.translate(CHINESE_PUNCTUATION)).strip()
    return re.sub(r"(?<=[^\x00-\x7f]) | (?=[^\x00-\x7f])", "", out)


def json_reply(data: object, status: int = 200, **headers: str) -> Reply:
    return Reply(status, json.dumps(data, ensure_ascii=False).encode("utf-8"),
                 {"Content-Type": "application/json", **headers})


class FakeEngine:
    """Base: scripted faults first, then real answers from ``answer``."""

    def __init__(self) -> None:
        self.faults: list[Reply] = []
        self.delay = 0.0
        self.required_key: str | None = None

    def __call__(self, request: Request) -> Reply:
        if self.faults:
            return self.faults.pop(0)
        reply = self.answer(json.loads(request.body), request)
        return Reply(reply.status, reply.body, reply.headers, delay=self.delay)

    def answer(self, body: t.Any, request: Request) -> Reply:
        raise NotImplementedError


class FakeLibreTranslate(FakeEngine):
    """``POST /translate`` and ``GET /languages`` as LibreTranslate serves them."""

    MANGLES: t.ClassVar[dict[str, t.Callable[[str], str]]] = {
        "none": lambda s: s,
        "fullwidth": lambda s: s.replace("[", "［").replace("]", "］"),
        "lenticular": lambda s: s.replace("[", "【").replace("]", "】"),
        "spaced": lambda s: re.sub(r"\[\[T(\d+)\]\]", r" [[ t\1 ]] ", s),
        "drop": lambda s: re.sub(r"\[\[T1\]\]", "", s, count=1),
        "duplicate": lambda s: re.sub(r"(\[\[T1\]\])", r"\1\1", s, count=1),
        "invent": lambda s: s + "[[T9]]",
    }

    def __init__(self) -> None:
        super().__init__()
        self.codes: list[str] | None = ["en", "zh-Hans", "zh-Hant"]
        self.mangle = "none"

    def languages(self, request: Request) -> Reply:
        if self.codes is None:
            return Reply(404, b"<html><title>404 Not Found</title></html>", {"Content-Type": "text/html"})
        return json_reply([{"code": c, "name": c, "targets": self.codes} for c in self.codes])

    def answer(self, body: t.Any, request: Request) -> Reply:
        if self.required_key is not None and body.get("api_key") != self.required_key:
            return json_reply({"error": "Invalid API key"}, 403)
        if body.get("target") not in (self.codes or ["zh-Hant"]) or body.get("format") != "text":
            return json_reply({"error": f"{body.get('target')} is not supported"}, 400)
        q = body["q"]
        texts = q if isinstance(q, list) else [q]
        mangle = self.MANGLES[self.mangle]
        translated = [mangle(dictionary_translate(text)) for text in texts]
        return json_reply({"translatedText": translated if isinstance(q, list) else translated[0]})


class FakeChat(FakeEngine):
    """``POST /v1/chat/completions``: applies the "- source => target" lines of the system prompt."""

    def __init__(self) -> None:
        super().__init__()
        self.ignore_terms = False
        self.content_prefix = ""

    def answer(self, body: t.Any, request: Request) -> Reply:
        if self.required_key is not None:
            sent = request.headers.get("Authorization", "")
            if sent != f"Bearer {self.required_key}":
                # as OpenAI does, the refusal quotes (part of) the key it was given
                return json_reply({"error": {"message": f"Incorrect API key provided: {sent[7:]}"}}, 401)
        system, user = body["messages"][0]["content"], body["messages"][1]["content"]
        text = user
        if not self.ignore_terms:
            for source, target in re.findall(r"^- (.+) => (.+)$", system, re.MULTILINE):
                text = re.sub(re.escape(source), target, text, flags=re.IGNORECASE)
        content = self.content_prefix + dictionary_translate(text)
        return json_reply({
            "id": "chatcmpl-1", "object": "chat.completion", "model": body["model"],
            "choices": [{"index": 0, "message": {"role": "assistant", "content": content},
                         "finish_reason": "stop"}],
        })


def install(server: LoopbackServer) -> tuple[FakeLibreTranslate, FakeChat]:
    """Both fakes on one server: LibreTranslate at ``/``, the chat API at ``/v1``."""
    libre, chat = FakeLibreTranslate(), FakeChat()
    server.route("/translate", libre)
    server.route("/languages", libre.languages)
    server.route("/v1/chat/completions", chat)
    return libre, chat
