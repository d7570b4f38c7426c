"""A tiny labelled set (wages / safety concerns) shared by the classifier tests."""

TOY = [
    ("công ty nợ lương ba tháng", "wages"),
    ("chậm trả lương cho công nhân", "wages"),
    ("lương tháng này chưa được trả", "wages"),
    ("nhà xưởng nóng, không có quạt", "safety"),
    ("máy móc không an toàn, dễ tai nạn", "safety"),
    ("thiếu đồ bảo hộ lao động", "safety"),
]
