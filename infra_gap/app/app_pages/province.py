"""The province's ranking (the default page): the demo, or the user's own files once loaded."""

from infra_gap.app.ui.province import province_page

province_page()
