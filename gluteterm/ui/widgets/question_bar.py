"""QuestionBar: the question a session is waiting on (a check-in, a test's yes/no), never
blocking: it is answered with single keys while the session goes on."""

from __future__ import annotations

from textual.content import Content
from textual.reactive import reactive
from textual.widget import Widget

from gluteterm.core.display import Question


class QuestionBar(Widget):
    """Shows `question`; hidden when it is None."""

    DEFAULT_CSS = """
    QuestionBar {
        height: auto;
        max-height: 6;  /* the question, and a drill's fix or the pain advice, whole */
        padding: 0 1;
        background: $boost;
        display: none;
    }
    QuestionBar.-open {
        display: block;
    }
    """

    # layout=True: a longer answer or advice may need more lines (height: auto).
    question: reactive[Question | None] = reactive(None, layout=True)

    def watch_question(self, question: Question | None) -> None:
        self.set_class(question is not None, "-open")

    def render(self) -> Content:
        q = self.question
        if q is None:
            return Content("")
        if q.kind == "yes-no":
            return Content.assemble(
                (f"{q.subject}: ", "bold"), (q.prompt, "bold"), "   y yes   n no"
            )
        keys = "  ".join(f"{key} {name}" for key, name in q.flag_keys)
        so_far = [f"felt {q.felt}/9"] if q.felt is not None else []
        so_far += [f"in the {q.where}"] if q.where else []
        so_far += list(q.flags)
        answer = f"  [{', '.join(so_far)}]" if so_far else ""
        where = "  ".join(f"{key} {name}" for key, name in q.where_keys)
        where_line = (f"Where? {where}\n", "$text-muted") if where and not q.advice else ("", "")
        second = (q.advice, "bold $warning") if q.advice else (f"{keys} · Esc done", "$text-muted")
        return Content.assemble(
            ("Check-in: ", "bold"), (q.subject, "bold"), (f". {q.prompt}{answer}\n", ""),
            where_line, second,
        )  # fmt: skip
