import factory

from feedback.models import Category, Feedback
from feedback.services import feedback_submit
from tests.communes.factories import CommuneFactory


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category
        django_get_or_create = ("province", "name")

    province = factory.SubFactory("tests.communes.factories.ProvinceFactory")
    name = factory.Sequence(lambda n: f"Lĩnh vực {n}")
    time_limit_days = 10
    position = factory.Sequence(lambda n: n)
    active = True


def submitted(**kwargs) -> Feedback:
    """An item as a citizen sends it, through feedback_submit; any argument may be overridden."""
    commune = kwargs.pop("commune", None) or CommuneFactory(legacy=True)
    category = kwargs.pop("category", None) or CategoryFactory(province=commune.province)
    values = {
        "title": "Đèn đường hỏng trên đường Nguyễn Thị Lưu",
        "description": "Ba cột đèn trước nhà văn hóa thôn Trung không sáng từ đầu tuần.",
        "contact_name": "Nguyễn Văn An",
        "contact_email": "an@example.com",
        "consent": True,
        **kwargs,
    }
    return feedback_submit(commune=commune, category=category, **values)
