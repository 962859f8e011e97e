"""The township's page of its yearly activist-pool analysis (01.1): the pool as the registers
show it, the analyses recorded, and the form that records this year's."""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from core.errors import RuleError
from core.scope import access_region
from party.effects.pool import may_record_analysis, record_pool_analysis
from party.models import PoolAnalysis
from party.pool import pool_summary


class AnalysisForm(forms.Form):
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    findings = forms.CharField(label="队伍状况分析", widget=forms.Textarea, max_length=10000)
    measures = forms.CharField(label="针对存在问题的改进措施", widget=forms.Textarea,
                               max_length=10000)


@login_required
def pool_analysis(request: HttpRequest, township_id: int) -> HttpResponse:
    township = access_region(request.user, township_id)
    may_record = may_record_analysis(request.user, township)  # type: ignore[arg-type]
    today = timezone.localdate()
    form = AnalysisForm(request.POST or None, initial={"year": today.year})
    if request.method == "POST" and may_record and form.is_valid():
        try:
            record_pool_analysis(actor=request.user, township=township,  # type: ignore[arg-type]
                                 **form.cleaned_data)
        except RuleError as err:
            form.add_error(err.field if err.field in form.fields else None, err.detail)
        else:
            return redirect("party:pool_analysis", township_id=township.pk)
    return render(request, "party/pool_analysis.html", {
        "township": township, "form": form, "may_record": may_record, "year": today.year,
        "summary": pool_summary(township, today.year, today=today),
        "analyses": PoolAnalysis.objects.filter(township=township).order_by("-year"),
    }, status=400 if form.errors else 200)
