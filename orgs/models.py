"""Identity and organisations: the organisation tree, trainee profiles and administrator scopes.

The tables keep the names `learning` gave them (the models moved here without a row moving)."""

from django.conf import settings
from django.db import models
from treebeard.mp_tree import MP_Node


class Organization(MP_Node):
    class Level(models.TextChoices):
        PROVINCE = "province", "省"
        CITY = "city", "市"
        DISTRICT = "district", "区/县"
        STREET = "street", "街道"
        COMMUNITY = "community", "社区"
        GRID = "grid", "网格"

    name = models.CharField("名称", max_length=100)
    level = models.CharField("层级", max_length=12, choices=Level.choices)
    code = models.CharField("编码", max_length=32, unique=True)

    node_order_by = ["code"]

    class Meta:
        db_table = "learning_organization"
        verbose_name = "组织"
        verbose_name_plural = "组织"
        # Every subtree query is `path LIKE 'prefix%'`; PostgreSQL only uses an index for that with a
        # pattern operator class (the unique index on path follows the database's collation).
        # Elsewhere the opclass is ignored and this is a plain index.
        indexes = [models.Index(fields=["path"], name="org_path_prefix", opclasses=["varchar_pattern_ops"])]

    def __str__(self):
        return self.name

    def ancestor_paths(self) -> list[str]:
        """The materialised paths of this organisation and every organisation above it, root first."""
        return self.paths_above(self.path)

    @classmethod
    def paths_above(cls, path: str) -> list[str]:
        """`path` and the paths of every organisation above it, root first (for rollups over raw paths)."""
        return [path[:end] for end in range(cls.steplen, len(path) + 1, cls.steplen)]


class TraineeProfile(models.Model):
    class Position(models.TextChoices):
        SECRETARY = "secretary", "社区书记"
        DEPUTY = "deputy", "副书记"
        MEMBER = "member", "委员"
        WORKER = "worker", "社区工作者"
        GRID = "grid", "网格员"
        OTHER = "other", "其他"

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile")
    real_name = models.CharField("姓名", max_length=40)
    phone = models.CharField("手机号", max_length=20, unique=True, null=True, blank=True)
    organization = models.ForeignKey(Organization, verbose_name="所属组织", on_delete=models.PROTECT, related_name="members")
    position = models.CharField("岗位", max_length=12, choices=Position.choices, default=Position.WORKER)
    joined_on = models.DateField("入职日期", null=True, blank=True)
    must_change_password = models.BooleanField("首次登录须修改密码", default=False)

    class Meta:
        db_table = "learning_traineeprofile"
        verbose_name = "学员档案"
        verbose_name_plural = "学员档案"

    def __str__(self):
        return self.real_name


class OrgAdminRole(models.Model):
    """An administrator manages one organisation and everything below it."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="org_admin_roles")
    organization = models.ForeignKey(Organization, verbose_name="管理范围", on_delete=models.CASCADE, related_name="+")

    class Meta:
        db_table = "learning_orgadminrole"
        verbose_name = "组织管理员"
        verbose_name_plural = "组织管理员"
        constraints = [models.UniqueConstraint(fields=["user", "organization"], name="uniq_org_admin_role")]

    def __str__(self):
        return f"{self.user} @ {self.organization}"
