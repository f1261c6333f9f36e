from django.contrib import admin

from qualityplan.monitoring.models import ProductCategory


@admin.register(ProductCategory)
class ProductCategoryAdmin(admin.ModelAdmin):
    list_display = ["path", "group", "active", "source"]
    list_filter = ["group", "active"]
    search_fields = ["path", "synonyms"]
