from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase

from cms.models import (
    CaseLibraryPage,
    CasePage,
    CourseIndexPage,
    CoursePage,
    DailyLessonIndexPage,
    DailyLessonPage,
    HomePage,
    LessonPage,
    TeachingBaseIndexPage,
    TeachingBasePage,
)


class PageTreeRules(WagtailPageTestCase):
    def test_home_holds_the_four_sections_only(self):
        self.assertAllowedSubpageTypes(HomePage, {CourseIndexPage, DailyLessonIndexPage, CaseLibraryPage,
                                                  TeachingBaseIndexPage})
        self.assertCanCreateAt(Page, HomePage)

    def test_courses_hold_lessons_and_nothing_else_holds_them(self):
        self.assertAllowedSubpageTypes(CourseIndexPage, {CoursePage})
        self.assertAllowedSubpageTypes(CoursePage, {LessonPage})
        self.assertAllowedParentPageTypes(LessonPage, {CoursePage})
        self.assertCanNotCreateAt(HomePage, LessonPage)
        self.assertCanNotCreateAt(CaseLibraryPage, CoursePage)

    def test_daily_lessons_and_cases_live_in_their_indexes(self):
        self.assertAllowedSubpageTypes(DailyLessonIndexPage, {DailyLessonPage})
        self.assertAllowedParentPageTypes(DailyLessonPage, {DailyLessonIndexPage})
        self.assertAllowedSubpageTypes(CaseLibraryPage, {CasePage})
        self.assertAllowedParentPageTypes(CasePage, {CaseLibraryPage})
        self.assertAllowedSubpageTypes(TeachingBaseIndexPage, {TeachingBasePage})
        self.assertAllowedParentPageTypes(TeachingBasePage, {TeachingBaseIndexPage})
        for leaf in (LessonPage, DailyLessonPage, CasePage, TeachingBasePage):
            self.assertAllowedSubpageTypes(leaf, set())
