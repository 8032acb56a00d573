import factory

from accounts.models import User
from accounts.services import role_assign, user_create

PASSWORD = "Mat-khau-thu-2026"


class UserFactory(factory.django.DjangoModelFactory):
    """Users go through accounts.services.user_create, as everywhere else."""

    class Meta:
        model = User

    email = factory.Sequence(lambda n: f"user{n}@example.com")
    full_name = factory.Faker("name", locale="vi_VN")
    email_verified = True
    is_superuser = False

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return user_create(password=PASSWORD, **kwargs)


def user_with_role(role, place, **kwargs) -> User:
    user = UserFactory(**kwargs)
    role_assign(user=user, role=role, place=place)
    return user
