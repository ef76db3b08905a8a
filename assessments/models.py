"""Question banks, quizzes and attempts.

An attempt freezes, on the server, which questions were drawn and in which option order (from a
stored seed), so that a reload, another device or a grader sees exactly the same paper.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.models import Orderable
from wagtail.search import index

from cms.api import segmented


class QuestionBank(index.Indexed, models.Model):
    name = models.CharField("题库名称", max_length=100, unique=True)
    track = models.ForeignKey("cms.Track", verbose_name="课程体系", null=True, blank=True, on_delete=models.SET_NULL)
    description = models.TextField("说明", blank=True)

    panels = [FieldPanel("name"), FieldPanel("track"), FieldPanel("description")]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        verbose_name = "题库"
        verbose_name_plural = "题库"
        ordering = ["name"]

    def __str__(self):
        return self.name


class Question(index.Indexed, models.Model):
    class Kind(models.TextChoices):
        SINGLE = "single", "单选"
        MULTIPLE = "multiple", "多选"
        TRUE_FALSE = "truefalse", "判断"
        FILL = "fill", "填空"

    class Difficulty(models.IntegerChoices):
        EASY = 1, "易"
        MEDIUM = 2, "中"
        HARD = 3, "难"

    bank = models.ForeignKey(QuestionBank, verbose_name="题库", on_delete=models.CASCADE, related_name="questions")
    kind = models.CharField("题型", max_length=10, choices=Kind.choices)
    stem = models.TextField("题干")
    # Choice questions use A–F in order; true/false and fill-in leave them empty.
    option_a = models.CharField("选项A", max_length=300, blank=True)
    option_b = models.CharField("选项B", max_length=300, blank=True)
    option_c = models.CharField("选项C", max_length=300, blank=True)
    option_d = models.CharField("选项D", max_length=300, blank=True)
    option_e = models.CharField("选项E", max_length=300, blank=True)
    option_f = models.CharField("选项F", max_length=300, blank=True)
    answer = models.CharField(
        "答案", max_length=300,
        help_text="单选如 B；多选如 ACD；判断填 对 或 错；填空题多个可接受答案用 | 分隔",
    )
    explanation = models.TextField("解析", blank=True)
    score = models.DecimalField("分值", max_digits=5, decimal_places=1, default=Decimal("1"),
                                validators=[MinValueValidator(Decimal("0.5"))])
    difficulty = models.PositiveSmallIntegerField("难度", choices=Difficulty.choices, default=Difficulty.MEDIUM)
    tags = models.CharField("标签", max_length=200, blank=True, help_text="多个标签用逗号分隔")
    track = models.ForeignKey("cms.Track", verbose_name="课程体系", null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)

    panels = [
        FieldRowPanel([FieldPanel("bank"), FieldPanel("kind"), FieldPanel("difficulty"), FieldPanel("score")]),
        FieldPanel("stem"),
        MultiFieldPanel([FieldRowPanel([FieldPanel("option_a"), FieldPanel("option_b")]),
                         FieldRowPanel([FieldPanel("option_c"), FieldPanel("option_d")]),
                         FieldRowPanel([FieldPanel("option_e"), FieldPanel("option_f")])], heading="选项"),
        FieldPanel("answer"),
        FieldPanel("explanation"),
        FieldRowPanel([FieldPanel("tags"), FieldPanel("track")]),
    ]
    search_fields = [index.SearchField("stem"), index.SearchField("search_segmented"),
                     index.FilterField("bank"), index.FilterField("kind")]

    class Meta:
        verbose_name = "试题"
        verbose_name_plural = "试题"
        ordering = ["bank", "id"]

    def __str__(self):
        return f"[{self.get_kind_display()}] {self.stem[:30]}"

    def search_segmented(self):
        """Chinese words for the search index (see `cms.search`): 网格 is found inside 网格员."""
        return segmented(self.stem, *self.options, self.explanation, self.tags)

    @property
    def options(self) -> list[str]:
        """Option texts A.. up to the last non-empty one."""
        values = [self.option_a, self.option_b, self.option_c, self.option_d, self.option_e, self.option_f]
        while values and not values[-1]:
            values.pop()
        return values

    def clean(self):
        from django.core.exceptions import ValidationError

        from assessments.validation import question_problems

        problems = question_problems(kind=self.kind, stem=self.stem, options=self.options, answer=self.answer)
        if problems:
            raise ValidationError(problems)

    def tag_list(self) -> list[str]:
        return [t.strip() for t in self.tags.replace("，", ",").split(",") if t.strip()]


class Quiz(ClusterableModel):
    class Mode(models.TextChoices):
        FIXED = "fixed", "固定试题"
        RANDOM = "random", "随机抽题"

    class Review(models.TextChoices):
        AFTER_ATTEMPT = "after_attempt", "每次提交后显示答案和解析"
        AFTER_CLOSE = "after_close", "测验关闭后显示"
        NEVER = "never", "不显示"

    title = models.CharField("测验名称", max_length=100)
    page = models.ForeignKey(
        "wagtailcore.Page", verbose_name="所属内容", on_delete=models.CASCADE, related_name="+",
        help_text="课时、每日一课或课程（课程上的测验即结业考试）",
    )
    mode = models.CharField("出题方式", max_length=10, choices=Mode.choices, default=Mode.FIXED)
    shuffle_questions = models.BooleanField("打乱题目顺序", default=True)
    shuffle_options = models.BooleanField("打乱选项顺序", default=True)
    time_limit_minutes = models.PositiveSmallIntegerField("限时（分钟）", null=True, blank=True, help_text="留空为不限时")
    attempts_allowed = models.PositiveSmallIntegerField("可作答次数", default=3, validators=[MinValueValidator(1)])
    pass_mark = models.PositiveSmallIntegerField("及格线（%）", default=60, validators=[MaxValueValidator(100)])
    review = models.CharField("答案与解析", max_length=16, choices=Review.choices, default=Review.AFTER_ATTEMPT)
    partial_credit = models.BooleanField("多选题部分得分", default=False,
                                         help_text="勾选：少选按比例得分，错选不得分；不勾选：全对才得分")
    opens_at = models.DateTimeField("开放时间", null=True, blank=True)
    closes_at = models.DateTimeField("关闭时间", null=True, blank=True)

    panels = [
        FieldPanel("title"),
        FieldPanel("page"),
        MultiFieldPanel([FieldPanel("mode"), InlinePanel("fixed_questions", label="固定试题"),
                         InlinePanel("draw_rules", label="随机抽题规则")], heading="试题"),
        MultiFieldPanel([
            FieldRowPanel([FieldPanel("time_limit_minutes"), FieldPanel("attempts_allowed"), FieldPanel("pass_mark")]),
            FieldRowPanel([FieldPanel("shuffle_questions"), FieldPanel("shuffle_options"), FieldPanel("partial_credit")]),
            FieldPanel("review"),
            FieldRowPanel([FieldPanel("opens_at"), FieldPanel("closes_at")]),
        ], heading="规则"),
    ]

    class Meta:
        verbose_name = "测验"
        verbose_name_plural = "测验"

    def __str__(self):
        return self.title


class QuizQuestion(Orderable):
    quiz = ParentalKey(Quiz, on_delete=models.CASCADE, related_name="fixed_questions")
    question = models.ForeignKey(Question, verbose_name="试题", on_delete=models.CASCADE, related_name="+")

    panels = [FieldPanel("question")]


class QuizDrawRule(Orderable):
    """Draw `count` questions from a bank, optionally only those with a tag and/or a difficulty."""

    quiz = ParentalKey(Quiz, on_delete=models.CASCADE, related_name="draw_rules")
    bank = models.ForeignKey(QuestionBank, verbose_name="题库", on_delete=models.CASCADE, related_name="+")
    tag = models.CharField("标签", max_length=40, blank=True)
    difficulty = models.PositiveSmallIntegerField("难度", choices=Question.Difficulty.choices, null=True, blank=True)
    count = models.PositiveSmallIntegerField("抽题数量", default=5, validators=[MinValueValidator(1)])

    panels = [FieldRowPanel([FieldPanel("bank"), FieldPanel("tag"), FieldPanel("difficulty"), FieldPanel("count")])]


class Attempt(models.Model):
    class Status(models.TextChoices):
        IN_PROGRESS = "in_progress", "作答中"
        GRADED = "graded", "已评分"

    quiz = models.ForeignKey(Quiz, on_delete=models.CASCADE, related_name="attempts")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="quiz_attempts")
    number = models.PositiveSmallIntegerField("第几次")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.IN_PROGRESS)
    seed = models.BigIntegerField()
    # [{"id": question id, "options": [original option indexes in display order]}] — fixed at start.
    paper = models.JSONField(default=list)
    # {"<question id>": response} as last autosaved, and when; only saves before the deadline count.
    answers = models.JSONField(default=dict)
    answers_saved_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField()
    deadline = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    score = models.DecimalField(max_digits=7, decimal_places=2, null=True, blank=True)
    max_score = models.DecimalField(max_digits=7, decimal_places=2, default=Decimal("0"))
    passed = models.BooleanField(null=True)
    # {"<question id>": {"earned": "1.0", "correct": true}} written once at grading.
    results = models.JSONField(default=dict)

    class Meta:
        verbose_name = "答卷"
        verbose_name_plural = "答卷"
        constraints = [
            models.UniqueConstraint(fields=["quiz", "user", "number"], name="uniq_attempt_number"),
            # Two racing "start" requests open one attempt, not two.
            models.UniqueConstraint(fields=["quiz", "user"], condition=models.Q(status="in_progress"),
                                    name="one_open_attempt"),
        ]
        indexes = [models.Index(fields=["user", "quiz", "status"])]

    def __str__(self):
        return f"{self.quiz_id}#{self.number} {self.user_id}"

    @property
    def effective_deadline(self):
        """When saving stops: the attempt's own deadline, or the quiz's close if the trainer closed it
        earlier after the attempt began (needs `quiz` loaded)."""
        ends = [end for end in (self.deadline, self.quiz.closes_at) if end is not None]
        return min(ends) if ends else None
