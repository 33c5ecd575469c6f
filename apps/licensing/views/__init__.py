"""Pages of perizinan: public ones under /layanan/, staff ones under /perizinan/."""
