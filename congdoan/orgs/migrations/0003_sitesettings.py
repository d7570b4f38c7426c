import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("orgs", "0002_search_and_sort_keys_and_membership_history"),
    ]

    operations = [
        migrations.CreateModel(
            name="SiteSettings",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "hotline",
                    models.CharField(
                        blank=True,
                        help_text="In trên áp phích mã QR. Để trống: dùng cài đặt CONGDOAN_HOTLINE.",
                        max_length=40,
                        verbose_name="đường dây nóng",
                    ),
                ),
                ("updated_at", models.DateTimeField(auto_now=True)),
                (
                    "home_unit",
                    models.ForeignKey(
                        blank=True,
                        help_text="Liên đoàn Lao động vận hành hệ thống này. Ý kiến chưa rõ công đoàn cơ sở được gửi tới đơn vị này. Để trống: dùng cài đặt CONGDOAN_HOME_UNIT.",
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="orgs.unit",
                        verbose_name="đơn vị vận hành hệ thống",
                    ),
                ),
            ],
            options={
                "verbose_name": "cài đặt hệ thống",
                "verbose_name_plural": "cài đặt hệ thống",
            },
        ),
    ]
