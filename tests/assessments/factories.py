"""Builders for question banks and quizzes with known answers."""

from assessments.models import Question, QuestionBank, Quiz, QuizDrawRule, QuizQuestion

KINDS = [
    dict(kind="single", stem="八点半课堂在每个工作日几点发布？", option_a="八点", option_b="八点半", option_c="九点",
         option_d="十点", answer="B", explanation="每个工作日 08:30 发布一句金句和一节精品课。"),
    dict(kind="multiple", stem="每日一课包含哪些内容？", option_a="一句金句", option_b="一节精品视频课",
         option_c="一场考试", option_d="一份问卷", answer="AB", explanation="每日一课是金句加精品视频课。"),
    dict(kind="truefalse", stem="调休的周六也是工作日。", answer="对", explanation="调休日按工作日安排。"),
    dict(kind="fill", stem="“街乡吹哨、部门____”。", answer="报到|報到", explanation="吹哨报到机制。"),
]


def question_bank(name="测试题库", count=4) -> tuple[QuestionBank, list[Question]]:
    bank, _ = QuestionBank.objects.get_or_create(name=name)
    questions = []
    for n in range(count):
        spec = dict(KINDS[n % len(KINDS)])
        spec["stem"] = f"{spec['stem']}（{n + 1}）"
        questions.append(Question.objects.create(bank=bank, score=2, tags="八点半" if n % 2 else "", **spec))
    return bank, questions


def quiz_on(page, questions=None, *, bank=None, draw=0, **options) -> Quiz:
    fields = dict(title="课后小测", page=page, shuffle_questions=True, shuffle_options=True, attempts_allowed=3,
                  pass_mark=60)
    fields.update(options)
    quiz = Quiz.objects.create(mode=Quiz.Mode.RANDOM if draw else Quiz.Mode.FIXED, **fields)
    for order, question in enumerate(questions or []):
        QuizQuestion.objects.create(quiz=quiz, question=question, sort_order=order)
    if draw:
        QuizDrawRule.objects.create(quiz=quiz, bank=bank, count=draw, sort_order=0)
    return quiz
