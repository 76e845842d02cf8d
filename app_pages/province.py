"""The province's ranking (the default page): the demo, or the user's own files once loaded."""

from ui.province import province_page

province_page()
