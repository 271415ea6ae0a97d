"""Build upload files for import tests."""

import io

import pandas as pd
from django.core.files.uploadedfile import SimpleUploadedFile

ORG_HEADERS = [
    "名称",
    "统一社会信用代码",
    "备案号",
    "类型",
    "登记级别",
    "行政区划代码",
    "成立日期",
    "服务领域",
    "评估等级",
    "评估日期",
    "法定代表人",
]


def xlsx_bytes(rows, headers=ORG_HEADERS):
    buffer = io.BytesIO()
    pd.DataFrame(rows, columns=headers).to_excel(buffer, index=False)
    return buffer.getvalue()


def csv_bytes(rows, headers=ORG_HEADERS, encoding="utf-8-sig"):
    return pd.DataFrame(rows, columns=headers).to_csv(index=False).encode(encoding)


def upload(name, data):
    return SimpleUploadedFile(name, data)
