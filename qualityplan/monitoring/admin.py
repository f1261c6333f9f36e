from django.contrib import admin

from qualityplan.monitoring.models import PassRateScope, ProductCategory


@admin.register(ProductCategory)
class ProductCategoryAdmin(admin.ModelAdmin):
    list_display = ["path", "group", "active", "source"]
    list_filter = ["group", "active"]
    search_fields = ["path", "synonyms"]


@admin.register(PassRateScope)
class PassRateScopeAdmin(admin.ModelAdmin):
    list_display = ["product_group", "scope", "note"]
