"""The questionnaire definition format: frozen pydantic models.

These models are the single source of both the validator (``Definition.model_validate``)
and the JSON Schema that ``riskcheck schema`` exports for editors. Cross-references
(ids used by expressions, rules, bands and tests) are checked afterwards by the loader.
Every field is documented in docs/definition-format.md.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

#: The one urgency vocabulary, lowest first (riskcheck.urgency holds its patient wording).
Urgency = Literal["routine", "soon", "urgent", "emergency"]

Identifier = Annotated[
    str,
    Field(pattern=r"^[a-z][a-z0-9_]{0,63}$", description="lower-case letters, digits and _"),
]
OptionValue = Annotated[
    str,
    Field(pattern=r"^[a-z0-9][a-z0-9_]{0,63}$", description="lower-case letters, digits and _"),
]
QuestionnaireId = Annotated[
    str,
    Field(pattern=r"^[a-z][a-z0-9-]{0,63}$", description="lower-case letters, digits and -"),
]
Expression = Annotated[
    str,
    Field(min_length=1, max_length=2000, description="an expression (docs/expressions.md)"),
]
Text = Annotated[str, Field(min_length=1, max_length=5000)]
ContactId = Annotated[
    Literal["emergency", "mental_health_crisis", "urgent_care"],
    Field(description="a contact the deployment's region resolves to numbers"),
]
SourceRef = Annotated[
    Identifier | list[Identifier],
    Field(description="the id of a source, or a list of ids, from `sources`"),
]
Points = int | float
IsoDate = Annotated[str, Field(pattern=r"^\d{4}-\d{2}-\d{2}$|^today$")]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True, strict=True)


class Source(_Model):
    """Published guidance that rules cite."""

    title: Text
    url: str | None = None
    publisher: str | None = None
    #: attribution or licence wording that must accompany content from this source
    attribution: str | None = None


class Option(_Model):
    """One answer a patient can pick."""

    value: OptionValue
    label: Text
    points: Points = 0
    help: str | None = None
    #: in a multiple-choice question: this option cannot be combined ("None of these")
    exclusive: bool = False


class _QuestionBase(_Model):
    id: Identifier
    text: Text
    help: str | None = None
    #: "why we ask", shown on demand
    why: str | None = None
    optional: bool = False
    show_if: Expression | None = None
    #: asked for the record (e.g. the PDF); lint does not expect a rule or scale to use it
    informational: bool = False
    #: an earlier text question whose answer names what this one asks about (ESAS-r's
    #: "Other problem"): reasons and summaries show the patient's own words
    named_by: Identifier | None = None
    #: the message when a required answer is missing, e.g. "Enter your age."
    required_message: str | None = None
    #: questions that share words with this one but ask something different (e.g. chest
    #: pain that has lasted weeks, and sudden severe chest pain now): lint then does not
    #: warn that the same symptom is asked twice
    not_same_as: list[Identifier] = []


class YesNoQuestion(_QuestionBase):
    """A yes/no question; ``points`` are given for yes."""

    type: Literal["yesno"]
    points: Points = 0
    #: the value an unanswered question takes ("tick if it applies": unticked means no)
    default: bool | None = None


class SingleChoiceQuestion(_QuestionBase):
    """Pick exactly one option."""

    type: Literal["single"]
    options: list[Option] = Field(min_length=2, max_length=100)


class MultipleChoiceQuestion(_QuestionBase):
    """Pick any number of options; points are summed."""

    type: Literal["multiple"]
    options: list[Option] = Field(min_length=1, max_length=100)


class NumberQuestion(_QuestionBase):
    """A number, integer or decimal, within optional bounds."""

    type: Literal["number"]
    integer: bool = False
    min: Points | None = None
    max: Points | None = None
    unit: str | None = None

    @model_validator(mode="after")
    def _bounds_in_order(self) -> NumberQuestion:
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError("min is greater than max")
        return self


class ScaleQuestion(_QuestionBase):
    """A whole number on a short scale, 0 to 10 unless told otherwise."""

    type: Literal["scale"]
    min: int = 0
    max: int = 10
    min_label: str | None = None
    max_label: str | None = None

    @model_validator(mode="after")
    def _bounds_in_order(self) -> ScaleQuestion:
        if not 1 <= self.max - self.min <= 100:
            raise ValueError("max must be above min, by at most 100")
        return self


class DateQuestion(_QuestionBase):
    """A calendar date (ISO, YYYY-MM-DD); ``today`` is allowed as a bound."""

    type: Literal["date"]
    min: IsoDate | None = None
    max: IsoDate | None = None


class TextQuestion(_QuestionBase):
    """Free text: kept for the summary, never scored."""

    type: Literal["text"]
    max_length: int = Field(default=1000, ge=1, le=10_000)
    multiline: bool = False


Question = Annotated[
    YesNoQuestion
    | SingleChoiceQuestion
    | MultipleChoiceQuestion
    | NumberQuestion
    | ScaleQuestion
    | DateQuestion
    | TextQuestion,
    Field(discriminator="type"),
]
QUESTION_TYPES = ("yesno", "single", "multiple", "number", "scale", "date", "text")


class Section(_Model):
    """A page of questions."""

    id: Identifier
    title: Text
    intro: str | None = None
    show_if: Expression | None = None
    questions: list[Question] = Field(min_length=1, max_length=1000)


class Computed(_Model):
    """A value worked out from answers, e.g. pack-years."""

    id: Identifier
    title: Text
    value: Expression
    unit: str | None = None


class Band(_Model):
    """A range of a scale's value (bounds inclusive) with its meaning for the patient."""

    id: Identifier
    label: Text
    min: Points | None = None
    max: Points | None = None
    urgency: Urgency
    description: str | None = None
    recommend: list[Identifier] = []
    flags: list[Identifier] = []

    @model_validator(mode="after")
    def _bounds_in_order(self) -> Band:
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError("min is greater than max")
        return self


class Prorate(_Model):
    """Score when at most ``prorate`` questions are missing, scaling up the answered ones."""

    prorate: int = Field(ge=1)


class Scale(_Model):
    """A named sum of points (or of numbers and computed values), with bands."""

    id: Identifier
    title: Text
    sum: list[Identifier] = Field(min_length=1, max_length=1000)
    #: what a missing answer means: refuse to score, count it as zero, or prorate
    missing: Literal["refuse", "zero"] | Prorate = "refuse"
    bands: list[Band] = []
    source: SourceRef | None = None
    citation: str | None = None


class Rule(_Model):
    """When ``when`` holds: set urgency, raise flags, recommend."""

    id: Identifier
    when: Expression
    #: defaults to the highest urgency of the recommendations it makes
    urgency: Urgency | None = None
    flags: list[Identifier] = []
    recommend: list[Identifier] = []
    #: the patient-facing reason, e.g. "Guidelines say this combination should be checked."
    reason: str | None = None
    source: SourceRef | None = None
    citation: str | None = None
    #: stop the questionnaire as soon as this fires, before any further question, and show
    #: these contacts (e.g. [emergency], [mental_health_crisis, emergency]); the deployment's
    #: region says what each contact is (riskcheck.contacts)
    interrupt: list[ContactId] = []
    #: answers always listed with the reason (e.g. both blood pressure readings), besides
    #: the answers that decided the condition
    show_answers: list[Identifier] = []

    @model_validator(mode="after")
    def _does_something(self) -> Rule:
        if not (self.urgency or self.flags or self.recommend):
            raise ValueError("a rule must set an urgency, raise a flag or recommend something")
        return self


class AnswerCheck(_Model):
    """A check across answers: when ``when`` holds, the answers are refused with ``message``
    (e.g. a blood pressure whose bottom number is not lower than its top number)."""

    id: Identifier
    when: Expression
    #: the question the message is shown at; ``when`` may use it and questions before it
    question: Identifier
    message: Text


class Recommendation(_Model):
    """A next step a patient may be given."""

    title: Text
    text: Text
    urgency: Urgency
    #: the service it routes to, e.g. gastroenterology, nutrition, pain_management
    service: Identifier | None = None
    ask_your_doctor: list[Text] = []
    source: SourceRef | None = None
    citation: str | None = None


class Redirect(_Model):
    """Where to go instead when a questionnaire is not the right tool."""

    title: Text
    questionnaire: QuestionnaireId | None = None
    url: str | None = None


class Eligibility(_Model):
    """A condition under which this questionnaire is not the right tool."""

    id: Identifier
    when: Expression
    message: Text
    redirect: Redirect | None = None
    source: SourceRef | None = None


class Expect(_Model):
    """What a definition test expects; lists are subsets of what the result holds."""

    urgency: Urgency | None = None
    eligible: bool | None = None
    ineligible: Identifier | None = None
    scores: dict[Identifier, Points | None] = {}
    bands: dict[Identifier, Identifier | None] = {}
    recommendations: list[Identifier] = []
    flags: list[Identifier] = []
    #: answers given that branching hides, so never scored: a test must say so, or it fails
    set_aside: list[Identifier] = []


class Absent(_Model):
    """What a definition test expects not to see."""

    recommendations: list[Identifier] = []
    flags: list[Identifier] = []


class DefinitionTest(_Model):
    """An example answer set with the expected result."""

    name: Text
    answers: dict[Identifier, Any]
    expect: Expect = Expect()
    absent: Absent = Absent()


class Definition(_Model):
    """A whole questionnaire definition, as written in one YAML file."""

    id: QuestionnaireId
    title: Text
    description: Text
    version: int = Field(ge=1)
    language: str = Field(default="en", pattern=r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")
    estimated_minutes: int | None = Field(default=None, ge=1, le=120)
    disclaimer: Text
    sources: dict[Identifier, Source] = Field(min_length=1)
    eligibility: list[Eligibility] = []
    sections: list[Section] = Field(min_length=1, max_length=200)
    computed: list[Computed] = []
    scales: list[Scale] = []
    rules: list[Rule] = []
    recommendations: dict[Identifier, Recommendation] = {}
    #: checks across answers, made as each page is answered and on every score
    checks: list[AnswerCheck] = []
    #: what the result says when no recommendation applies (default: the symptom wording)
    no_findings: Text | None = None
    tests: list[DefinitionTest] = []

    @field_validator("sections")
    @classmethod
    def _not_too_many_questions(cls, sections: list[Section]) -> list[Section]:
        if sum(len(s.questions) for s in sections) > 10_000:
            raise ValueError("more than 10,000 questions")
        return sections


def json_schema() -> dict[str, Any]:
    """The JSON Schema of the definition format (from the same models as the validator)."""
    schema = Definition.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "https://riskcheck.example/schema/definition.json"
    return schema
