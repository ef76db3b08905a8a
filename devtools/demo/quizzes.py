"""Demo question banks and quizzes: a short quiz on every daily lesson, one lesson quiz and one
course final exam. Keyed by name, stem and page, so a second load adds nothing."""

from django.db import transaction

from assessments.models import Question, QuestionBank, Quiz, QuizDrawRule, QuizQuestion
from cms.models import CoursePage, DailyLessonPage, LessonPage, Track
from devtools.demo import quiz_content as demo_content

FINAL_EXAM_COURSE = "shuji-linghang-xiangmu"
LESSON_QUIZ_LESSON = "yanlian-fangan"


def _banks() -> dict[str, QuestionBank]:
    tracks = {t.slug: t for t in Track.objects.all()}
    banks = {}
    for item in demo_content.BANKS:
        banks[item["name"]], _ = QuestionBank.objects.get_or_create(
            name=item["name"], defaults={"description": item["description"], "track": tracks.get(item["track"])}
        )
    existing = {(q.bank_id, q.stem) for q in Question.objects.only("bank_id", "stem")}
    letters = "abcdef"
    new = []
    for item in demo_content.QUESTIONS:
        bank = banks[item["bank"]]
        if (bank.pk, item["stem"]) in existing:
            continue
        options = {f"option_{letters[i]}": text for i, text in enumerate(item["options"])}
        new.append(Question(bank=bank, kind=item["kind"], stem=item["stem"], answer=item["answer"],
                            explanation=item["explanation"], score=item["score"], difficulty=item["difficulty"],
                            tags=item["tags"], track=bank.track, **options))
    Question.objects.bulk_create(new)
    return banks


def _quiz(page, title: str, **fields) -> tuple[Quiz, bool]:
    return Quiz.objects.get_or_create(page=page, defaults={"title": title, **fields})


@transaction.atomic
def load_quizzes() -> int:
    banks = _banks()
    created = 0
    daily_bank = banks["八点半课堂题库"]
    for lesson in DailyLessonPage.objects.all():
        # One attempt: the key and the explanations show right after it (never while attempts remain).
        quiz, is_new = _quiz(lesson, "今日小测", mode=Quiz.Mode.RANDOM, attempts_allowed=1, pass_mark=60)
        if is_new:
            QuizDrawRule.objects.create(quiz=quiz, bank=daily_bank, count=3)
            created += 1
    lesson = LessonPage.objects.filter(slug=LESSON_QUIZ_LESSON).first()
    if lesson:
        quiz, is_new = _quiz(lesson, "课后练习：演练方案", mode=Quiz.Mode.RANDOM, attempts_allowed=5, pass_mark=60)
        if is_new:
            QuizDrawRule.objects.create(quiz=quiz, bank=banks["应急演练题库"], count=4)
            created += 1
    course = CoursePage.objects.filter(slug=FINAL_EXAM_COURSE).first()
    if course:
        quiz, is_new = _quiz(course, "结业考试：书记领航", mode=Quiz.Mode.FIXED, attempts_allowed=2, pass_mark=70,
                             time_limit_minutes=15, review=Quiz.Review.AFTER_ATTEMPT)
        if is_new:
            for order, question in enumerate(Question.objects.filter(bank=banks["干而论道题库"]).order_by("id")[:8]):
                QuizQuestion.objects.create(quiz=quiz, question=question, sort_order=order)
            created += 1
    return created
