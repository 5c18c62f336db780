"""Name pools, institution tables and fixed text pieces from which benchmarks/generate.py builds its world."""

from __future__ import annotations

import datetime as dt

__all__ = [
    "ACADEMIC_DEGREES", "AVOIDED_NAMES", "BACA_JUGA", "CAPITALS", "CLOSINGS", "DIVISIONS", "FEMALE", "HONORIFICS",
    "HOTEL_WORDS", "LAST", "MALE", "MONTHS", "NAME_STYLE", "NATIONAL_ORGS", "NATIONAL_OUTLETS", "NATIONAL_POSTS",
    "ORGANIZERS", "OUTLET_PATTERNS", "PROVINCE_ABBR", "PROVINCE_ORGS", "PROVINCE_POSTS", "QUALIFIERS", "RANKS",
    "REGENCY_ORGS", "REGENCY_POSTS", "REGULATIONS", "REPORTERS", "ROTATION", "STAGES", "STYLES", "TERM_CHANGES",
    "TERM_GROUP", "THEMES", "TOPIC_SENTENCES", "WEEKDAYS",
]

# Short forms the press uses for provinces (Pemprov Sultra, Polda Kaltim).
PROVINCE_ABBR = {
    "11": "Aceh", "12": "Sumut", "13": "Sumbar", "14": "Riau", "15": "Jambi", "16": "Sumsel", "17": "Bengkulu",
    "18": "Lampung", "19": "Babel", "21": "Kepri", "31": "DKI Jakarta", "32": "Jabar", "33": "Jateng", "34": "DIY",
    "35": "Jatim", "36": "Banten", "51": "Bali", "52": "NTB", "53": "NTT", "61": "Kalbar", "62": "Kalteng",
    "63": "Kalsel", "64": "Kaltim", "65": "Kaltara", "71": "Sulut", "72": "Sulteng", "73": "Sulsel", "74": "Sultra",
    "75": "Gorontalo", "76": "Sulbar", "81": "Maluku", "82": "Malut", "91": "Papua", "92": "Papua Barat",
    "93": "Papua Selatan", "94": "Papua Tengah", "95": "Papua Pegunungan", "96": "Papua Barat Daya",
}

# Seat of each provincial government, as named in the gazetteer (provincial meetings are held there).
CAPITALS = {
    "11": "Kota Banda Aceh", "12": "Kota Medan", "13": "Kota Padang", "14": "Kota Pekanbaru", "15": "Kota Jambi",
    "16": "Kota Palembang", "17": "Kota Bengkulu", "18": "Kota Bandar Lampung", "19": "Kota Pangkal Pinang",
    "21": "Kota Tanjung Pinang", "31": "Kota Administrasi Jakarta Pusat", "32": "Kota Bandung",
    "33": "Kota Semarang", "34": "Kota Yogyakarta", "35": "Kota Surabaya", "36": "Kota Serang",
    "51": "Kota Denpasar", "52": "Kota Mataram", "53": "Kota Kupang", "61": "Kota Pontianak",
    "62": "Kota Palangkaraya", "63": "Kota Banjarbaru", "64": "Kota Samarinda", "65": "Kabupaten Bulungan",
    "71": "Kota Manado", "72": "Kota Palu", "73": "Kota Makassar", "74": "Kota Kendari", "75": "Kota Gorontalo",
    "76": "Kabupaten Mamuju", "81": "Kota Ambon", "82": "Kota Tidore Kepulauan", "91": "Kota Jayapura",
    "92": "Kabupaten Manokwari", "93": "Kabupaten Merauke", "94": "Kabupaten Nabire", "95": "Kabupaten Jayawijaya",
    "96": "Kota Sorong",
}

# Which regional naming style a province's officials lean to (the rest draw from the general pool).
NAME_STYLE = {
    "11": "sumatra", "12": "batak", "13": "minang", "14": "sumatra", "15": "sumatra", "16": "sumatra",
    "17": "sumatra", "18": "sumatra", "19": "sumatra", "21": "sumatra", "31": "java", "32": "sunda",
    "33": "java", "34": "java", "35": "java", "36": "sunda", "51": "bali", "52": "sumatra", "53": "ntt",
    "61": "sumatra", "62": "sumatra", "63": "sumatra", "64": "bugis", "65": "bugis", "71": "minahasa",
    "72": "bugis", "73": "bugis", "74": "bugis", "75": "bugis", "76": "bugis", "81": "maluku", "82": "maluku",
    "91": "papua", "92": "papua", "93": "papua", "94": "papua", "95": "papua", "96": "papua",
}

MALE = (
    "Ahmad", "Muhammad", "Abdul", "Agus", "Budi", "Bayu", "Dedi", "Eko", "Fajar", "Hendra", "Irwan", "Joko",
    "Kurnia", "Lukman", "Rahmat", "Rudi", "Slamet", "Taufik", "Wahyu", "Yusuf", "Zainal", "Arif", "Dimas",
    "Fikri", "Gilang", "Hadi", "Ilham", "Imam", "Iwan", "Nur", "Rizal", "Sigit", "Teguh", "Umar", "Wawan",
    "Hasan", "Hamzah", "Syamsul", "Aris", "Firman", "Haris", "Indra", "Jefri", "Kadir", "Mansyur", "Nasrul",
    "Sofyan", "Syahrul", "Zulkifli", "Heru", "Adi", "Anton", "Rizky", "Yudi", "Dodi", "Erwin", "Ferry",
    "Hari", "Johan", "Khairul", "Lutfi", "Marwan", "Nanang", "Rusdi", "Samsul", "Tomi", "Yanto", "Zaenal",
    "Amir", "Bahrul", "Darwis", "Edwin", "Fahmi", "Ganda", "Hendri", "Ismail", "Jamal", "Kamal", "Mahmud",
)
FEMALE = (
    "Sri", "Siti", "Dewi", "Rina", "Wati", "Nurhayati", "Yuliana", "Fitri", "Ratna", "Lestari", "Indah",
    "Dian", "Ayu", "Maya", "Novi", "Sari", "Rahmawati", "Kartika", "Endang", "Nining", "Yanti", "Mega",
    "Putri", "Anisa", "Hesti", "Lina", "Rosmala", "Herlina", "Irma", "Juwita", "Laila", "Marlina", "Nurul",
    "Rika", "Susanti", "Tuti", "Vivi", "Winda", "Yeni", "Zahra", "Astuti", "Erna", "Farida", "Hasnah",
)
LAST = (
    "Santoso", "Wijaya", "Saputra", "Pratama", "Hidayat", "Nugroho", "Setiawan", "Kusuma", "Purnomo",
    "Susanto", "Gunawan", "Hakim", "Rahman", "Syahputra", "Firmansyah", "Kurniawan", "Hermawan", "Permana",
    "Ramadhan", "Maulana", "Wibowo", "Suryadi", "Hartono", "Prasetyo", "Siswanto", "Utomo", "Nasution",
    "Effendi", "Sulaiman", "Ibrahim", "Ismail", "Yunus", "Syarifuddin", "Hamid", "Anwar", "Kadir",
    "Mahendra", "Wirawan", "Kusnadi", "Haryanto", "Sudrajat", "Mulyadi", "Supriatna", "Rosadi", "Hasibuan",
    "Fauzi", "Zulkarnain", "Iskandar", "Ridwan", "Jamaluddin", "Baharuddin", "Nurdiansyah", "Hendrawan",
    "Darmawan", "Irawan", "Arifin", "Fadli", "Sahputra", "Wahyudi", "Riyadi", "Junaedi", "Sutisna",
)

# style -> (male first names, female first names, last names, share of one-word names)
STYLES: dict[str, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...], float]] = {
    "java": (("Bambang", "Sutrisno", "Suparman", "Sugeng", "Tri", "Dwi", "Catur", "Purwanto", "Widyo", "Harjo"),
             ("Sri", "Endang", "Sulastri", "Sumarni", "Tri", "Dwi", "Rini"),
             ("Sutrisno", "Supriyadi", "Sugiarto", "Purwanto", "Hadisuwarno", "Sumarno", "Wicaksono", "Raharjo",
              "Suharyanto", "Tjahjono", "Kuswanto", "Wiyono"), 0.15),
    "sunda": (("Asep", "Ujang", "Dadang", "Cecep", "Nandang", "Ade", "Dede", "Engkus", "Iman", "Yayat"),
              ("Euis", "Neneng", "Iis", "Entin", "Nunung", "Lilis"),
              ("Saepudin", "Permana", "Ruhiyat", "Sopandi", "Hidayat", "Suhendar", "Kurniadi", "Mulyana",
               "Sumpena", "Rukmana"), 0.05),
    "batak": (("Parulian", "Tigor", "Maruli", "Horas", "Jonner", "Sahat", "Bonar", "Togar"),
              ("Romauli", "Tiurma", "Lasma", "Rosdiana"),
              ("Siregar", "Lubis", "Simanjuntak", "Sitompul", "Hutapea", "Tambunan", "Panjaitan", "Sembiring",
               "Ginting", "Manurung", "Sinaga", "Situmorang", "Pardede", "Harahap", "Damanik"), 0.0),
    "minang": (("Yulizar", "Irwandi", "Syafrizal", "Afrizal", "Zulfikar", "Hendri", "Yuswardi"),
               ("Yusnelti", "Desmawati", "Rahmi", "Yelfi"),
               ("Chaniago", "Piliang", "Tanjung", "Koto", "Sikumbang", "Caniago", "Putra", "Malik"), 0.3),
    "sumatra": (("Syahrial", "Zulfahmi", "Rusli", "Yusri", "Azwar", "Mukhlis", "Jafar"),
                ("Nurlela", "Rosmawati", "Halimah", "Zubaidah"),
                ("Syahputra", "Harun", "Daud", "Usman", "Rasyid", "Yahya", "Zakaria", "Idris"), 0.15),
    "bugis": (("Andi", "Syamsuddin", "Baso", "Tahir", "Rauf", "Muhlis", "Sudirman", "Arsyad", "Basri", "Najamuddin"),
              ("Andi", "Hasnawati", "Nurhaedah", "Sitti", "Darmawati", "Kasmawati"),
              ("Latif", "Rasyid", "Mappiasse", "Pawellangi", "Sanusi", "Ambo", "Halim", "Saleh", "Mustari",
               "Nompo", "Lamba", "Pallawa"), 0.25),
    "minahasa": (("Stevanus", "Olly", "Ferdinand", "Johny", "Royke", "Hanny", "Roy", "Jemmy", "Frans"),
                 ("Meiva", "Vonny", "Jeane", "Grace", "Lenda"),
                 ("Rumondor", "Wowor", "Tumbelaka", "Lumintang", "Mandagi", "Pangemanan", "Tambuwun", "Runtuwene",
                  "Karundeng", "Sumampouw", "Wenas", "Kalalo"), 0.0),
    "maluku": (("Ronald", "Yopie", "Marthen", "Abdullah", "Salim", "Hengky", "Ismail"),
               ("Novita", "Maria", "Fatima", "Agustina"),
               ("Latuconsina", "Tuasikal", "Ohorella", "Lewerissa", "Siahaya", "Pattinasarany", "Latupono",
                "Sopacua", "Wattimena", "Rumra"), 0.0),
    "papua": (("Yohanes", "Markus", "Benny", "Yulianus", "Natalis", "Otto", "Paulus", "Elias", "Petrus"),
              ("Yosina", "Ruth", "Yohana", "Martha"),
              ("Wenda", "Kogoya", "Tabuni", "Wonda", "Wanimbo", "Rumbiak", "Mandowen", "Yoku", "Ohee", "Sawaki",
               "Murib", "Gobay", "Pigai", "Mote", "Wakerkwa"), 0.0),
    "ntt": (("Yosef", "Fransiskus", "Antonius", "Gabriel", "Melkianus", "Simon", "Daniel"),
            ("Yovita", "Theresia", "Emerensiana", "Bernadete"),
            ("Fernandez", "da Silva", "Lake", "Nope", "Manafe", "Tallo", "Ndoen", "Bria", "Amalo", "Lerik",
             "Tefa", "Mbete"), 0.0),
    "bali": (("I Made", "I Wayan", "I Nyoman", "I Ketut", "I Putu", "I Gede", "I Komang"),
             ("Ni Made", "Ni Luh", "Ni Wayan", "Ni Nyoman", "Ni Ketut", "Ni Putu"),
             ("Sudarsana", "Suarjana", "Arsana", "Sukadana", "Mertayasa", "Adnyana", "Sutrisna", "Wiranata",
              "Budiasa", "Suparta", "Darmawan", "Astawa"), 0.0),
}

# Names never generated: they would read as, or be confused with, real office holders
# (the people in data/records and a few well-known national figures).
AVOIDED_NAMES = frozenset({
    "Edy Suharmanto", "Andap Budhi Revianto", "Bahtra", "Benny Dwifa Yuswir", "Bayu Agung Perdana", "Juniwandri",
    "Medo Putra", "Agus Hari Kesuma", "Sri Wahyuni", "Bambang Arwanto", "Ali Mazi", "Syahruddin Nurdin",
    "Joko Widodo", "Prabowo Subianto", "Ganjar Pranowo", "Anies Baswedan", "Hasyim Asyari", "Rahmat Bagja",
})

HONORIFICS = {"male": ("H.", "Drs.", "Dr.", "Ir."), "female": ("Hj.", "Dra.", "Dr.", "Ir.")}

# office type -> plausible degree sets as printed after the name
ACADEMIC_DEGREES = {
    "civil": (("S.Sos.", "M.Si."), ("S.E.", "M.M."), ("S.IP.", "M.AP."), ("S.H.", "M.H."), ("S.T.", "M.T."),
              ("S.Pd.", "M.Pd."), ("S.Sos.",), ("S.E.",), ("M.Si.",), ("S.STP.", "M.Si.")),
    "law": (("S.H.", "M.H."), ("S.H.",), ("S.H.", "M.Hum."), ("S.H.", "M.Kn.")),
    "police": (("S.I.K.", "M.H."), ("S.I.K.",), ("S.I.K.", "M.Si."), ("S.H.", "S.I.K.")),
    "military": (("S.E.", "M.Han."), ("S.Sos.",), ("M.Tr.(Han)",), ()),
}

# office type -> ranks printed before the name
RANKS = {
    "kapolda": ("Irjen Pol.",), "kapolres": ("AKBP",), "danrem": ("Brigjen TNI",),
    "dandim": ("Letkol Inf.", "Letkol Arh.", "Letkol Kav.", "Letkol Czi.", "Letkol Cpn."),
}

HOTEL_WORDS = (
    "Cendana", "Nusantara", "Kartika", "Mutiara", "Anggrek", "Merpati", "Cempaka", "Kenanga", "Flamboyan",
    "Bahari", "Samudera", "Puri Indah", "Permata", "Bintang", "Mahkota", "Pelangi", "Kencana", "Safira",
)

# {abbr} is the province's short form
OUTLET_PATTERNS = ("Kabar {abbr}", "Warta {abbr}", "Suara {abbr} Online", "{abbr} Terkini", "Lintas {abbr}")
NATIONAL_OUTLETS = ("Warta Pemilu Nusantara", "Kabar Demokrasi", "Portal Pilkada Indonesia")

REPORTERS = ("Rian", "Dika", "Nanda", "Yogi", "Sinta", "Fadil", "Tari", "Wulan", "Reza", "Bima", "Lusi", "Arman")

WEEKDAYS = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")
MONTHS = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober",
          "November", "Desember")

# topic -> sentences a speaker says; {region} and {election} are filled in
TOPIC_SENTENCES = {
    "election-preparation": (
        "Kesiapan {election} di {region} harus kita pastikan bersama, mulai dari penyelenggara hingga aparat keamanan",
        "Seluruh pemangku kepentingan harus bersinergi agar {election} berjalan aman, lancar dan demokratis",
    ),
    "voter-data": (
        "Kami minta data pemilih di {region} benar-benar akurat dan mutakhir sehingga tidak ada warga yang kehilangan hak pilih",
        "Pemutakhiran data pemilih harus dilakukan dengan cermat, termasuk bagi pemilih pemula dan warga yang pindah domisili",
    ),
    "security": (
        "Pengamanan setiap tahapan {election} sudah kami siapkan bersama TNI dan Polri sampai ke tingkat TPS",
        "Potensi kerawanan di {region} sudah kami petakan dan akan diantisipasi sejak dini",
    ),
    "asn-neutrality": (
        "ASN wajib menjaga netralitas dan tidak boleh terlibat politik praktis selama {election}",
        "Kami tidak akan ragu memberi sanksi kepada ASN yang terbukti tidak netral",
    ),
    "logistics": (
        "Distribusi logistik harus tepat waktu, tepat jumlah dan tepat sasaran hingga ke TPS terjauh",
        "Gudang logistik harus dijaga ketat dan setiap pergeseran logistik dikawal aparat",
    ),
    "election-budget": (
        "Pemerintah daerah telah menyiapkan dana hibah untuk KPU dan Bawaslu melalui NPHD",
        "Anggaran pengamanan dan penyelenggaraan {election} sudah kami alokasikan dalam APBD",
    ),
    "campaign": (
        "Kampanye harus berlangsung damai, tanpa politik uang, ujaran kebencian maupun hoaks",
        "Alat peraga kampanye hanya boleh dipasang di lokasi yang telah ditetapkan",
    ),
    "voter-participation": (
        "Kami menargetkan partisipasi pemilih di {region} meningkat dibandingkan pemilihan sebelumnya",
        "Sosialisasi kepada masyarakat, terutama pemilih pemula, terus kami gencarkan",
    ),
    "health": (
        "Kesehatan petugas badan ad hoc menjadi perhatian kami agar kejadian pada pemilu sebelumnya tidak terulang",
    ),
    "ad-hoc-recruitment": (
        "Rekrutmen PPK, PPS dan KPPS dilakukan secara terbuka, profesional dan berintegritas",
    ),
    "political-monitoring": (
        "Tim pemantau perkembangan politik daerah akan melaporkan situasi di {region} secara berkala",
    ),
    "population-data": (
        "Perekaman KTP-el bagi pemilih pemula terus dipercepat agar semua dapat menggunakan hak pilihnya",
    ),
    "election-schedule": (
        "Seluruh pihak wajib memahami jadwal dan tahapan {election} sesuai peraturan yang berlaku",
    ),
}

CLOSINGS = (
    "Rakor ditutup dengan penandatanganan komitmen bersama untuk menyukseskan {election}.",
    "Kegiatan kemudian dilanjutkan dengan diskusi dan tanya jawab antara peserta dan narasumber.",
    "Di akhir kegiatan, seluruh peserta sepakat memperkuat koordinasi hingga seluruh tahapan selesai.",
    "Rakor berlangsung lancar dan diikuti dengan antusias oleh seluruh peserta.",
)

BACA_JUGA = (
    "Baca Juga: Harga Cabai di Pasar Tradisional Mulai Turun",
    "Baca Juga: Jalan Poros Antar Kecamatan Segera Diperbaiki",
    "Baca Juga: Festival Budaya Daerah Dipadati Pengunjung",
    "Baca Juga: Ratusan Pelajar Ikuti Lomba Cerdas Cermat",
    "Baca Juga: Musim Hujan, Warga Diminta Waspada Banjir",
)


# ---- Institutions, offices and terms ----

DIVISIONS = (
    ("teknis", "Divisi Teknis Penyelenggaraan"),
    ("data", "Divisi Perencanaan, Data dan Informasi"),
    ("sosdiklih", "Divisi Sosialisasi, Pendidikan Pemilih dan Partisipasi Masyarakat"),
    ("hukum", "Divisi Hukum dan Pengawasan"),
)

# Institutions of a province: role, id, name, type, acronym, level ({k} id key, {n} name, {a} short form).
PROVINCE_ORGS = (
    ("pemda", "pemprov-{k}", "Pemerintah Provinsi {n}", "RegionalGovernment", "Pemprov {a}", "province"),
    ("kpu", "kpu-prov-{k}", "Komisi Pemilihan Umum Provinsi {n}", "ElectionCommission", "KPU {a}", "province"),
    ("bawaslu", "bawaslu-prov-{k}", "Badan Pengawas Pemilihan Umum Provinsi {n}", "ElectionSupervisor", "Bawaslu {a}",
     "province"),
    ("kesbangpol", "kesbangpol-prov-{k}", "Badan Kesatuan Bangsa dan Politik Provinsi {n}", "GovernmentAgency",
     "Kesbangpol {a}", "province"),
    ("polisi", "polda-{k}", "Kepolisian Daerah {n}", "Police", "Polda {a}", "province"),
    ("tni", "korem-{k}", "Komando Resor Militer {n}", "Military", "Korem {a}", "province"),
    ("kejaksaan", "kejati-{k}", "Kejaksaan Tinggi {n}", "Prosecution", "Kejati {a}", "province"),
    ("dprd", "dprd-prov-{k}", "Dewan Perwakilan Rakyat Daerah Provinsi {n}", "Legislature", "DPRD {a}", "province"),
    ("forkopimda", "forkopimda-prov-{k}", "Forum Koordinasi Pimpinan Daerah Provinsi {n}", "Forum", "Forkopimda {a}",
     "province"),
    ("opd", "kepala-opd-prov-{k}", "Kepala OPD Provinsi {n}", "OfficeHolderGroup", None, "province"),
    ("heads", "bupati-walikota-se-{k}", "Bupati/Wali Kota se-{n}", "OfficeHolderGroup", None, "regency"),
    ("kpu-chairs", "ketua-kpu-se-{k}", "Ketua KPU Kabupaten/Kota se-{n}", "OfficeHolderGroup", None, "regency"),
)
# Posts of a province: role, id, label, office, organisation role, how articles name it, degree style.
PROVINCE_POSTS = (
    ("head", "gubernur-{k}", "Gubernur {n}", "gubernur", "pemda", "Gubernur {a}", "civil"),
    ("sekda", "sekda-prov-{k}", "Sekretaris Daerah Provinsi {n}", "sekretaris-daerah", "pemda", "Sekda {a}", "civil"),
    ("kesbangpol", "kepala-kesbangpol-prov-{k}", "Kepala Badan Kesbangpol Provinsi {n}", "kepala-kesbangpol",
     "kesbangpol", "Kepala Badan Kesbangpol {a}", "civil"),
    ("kpu", "ketua-kpu-prov-{k}", "Ketua KPU Provinsi {n}", "ketua-kpu", "kpu", "Ketua KPU {a}", "civil"),
    ("bawaslu", "ketua-bawaslu-prov-{k}", "Ketua Bawaslu Provinsi {n}", "ketua-bawaslu", "bawaslu", "Ketua Bawaslu {a}",
     "law"),
    ("polisi", "kapolda-{k}", "Kapolda {n}", "kapolda", "polisi", "Kapolda {a}", "police"),
    ("tni", "danrem-{k}", "Komandan Korem {n}", "danrem", "tni", "Danrem {a}", "military"),
    ("kejaksaan", "kajati-{k}", "Kepala Kejaksaan Tinggi {n}", "kajati", "kejaksaan", "Kajati {a}", "law"),
    ("dprd", "ketua-dprd-prov-{k}", "Ketua DPRD Provinsi {n}", "ketua-dprd", "dprd", "Ketua DPRD {a}", "civil"),
)
# The same for a regency or city ({s} short name, {pem}/{Pem} pemkab or pemkot, {kota} "Kota " for cities).
REGENCY_ORGS = (
    ("pemda", "{pem}-{slug}", "Pemerintah {n}", "RegionalGovernment", "{Pem} {s}", "regency"),
    ("kpu", "kpu-{k}", "Komisi Pemilihan Umum {n}", "ElectionCommission", "KPU {n}", "regency"),
    ("bawaslu", "bawaslu-{k}", "Badan Pengawas Pemilihan Umum {n}", "ElectionSupervisor", "Bawaslu {n}", "regency"),
    ("kesbangpol", "kesbangpol-{k}", "Badan Kesatuan Bangsa dan Politik {n}", "GovernmentAgency", "Kesbangpol {s}",
     "regency"),
    ("polisi", "polres-{k}", "Kepolisian Resor {kota}{s}", "Police", "{polres} {s}", "regency"),
    ("tni", "kodim-{k}", "Komando Distrik Militer {s}", "Military", "Kodim {s}", "regency"),
    ("kejaksaan", "kejari-{k}", "Kejaksaan Negeri {s}", "Prosecution", "Kejari {s}", "regency"),
    ("dprd", "dprd-{k}", "Dewan Perwakilan Rakyat Daerah {n}", "Legislature", "DPRD {n}", "regency"),
    ("forkopimda", "forkopimda-{k}", "Forum Koordinasi Pimpinan Daerah {n}", "Forum", "Forkopimda {s}", "regency"),
    ("opd", "kepala-opd-{k}", "Kepala OPD {n}", "OfficeHolderGroup", None, "regency"),
    ("camat", "camat-se-{k}", "Camat se-{n}", "OfficeHolderGroup", None, "district"),
    ("ppk", "ppk-se-{k}", "PPK se-{n}", "AdHocBody", "PPK", "district"),
    ("panwascam", "panwascam-se-{k}", "Panwascam se-{n}", "AdHocBody", "Panwascam", "district"),
)
REGENCY_POSTS = (
    ("head", "{head}-{slug}", "{Head} {s}", "{head}", "pemda", "{Head} {s}", "civil"),
    ("sekda", "sekda-{k}", "Sekretaris Daerah {n}", "sekretaris-daerah", "pemda", "Sekda {s}", "civil"),
    ("kesbangpol", "kepala-kesbangpol-{k}", "Kepala Badan Kesbangpol {n}", "kepala-kesbangpol", "kesbangpol",
     "Kepala Kesbangpol {s}", "civil"),
    ("kpu", "ketua-kpu-{k}", "Ketua KPU {n}", "ketua-kpu", "kpu", "Ketua KPU {n}", "civil"),
    ("bawaslu", "ketua-bawaslu-{k}", "Ketua Bawaslu {n}", "ketua-bawaslu", "bawaslu", "Ketua Bawaslu {n}", "law"),
    ("polisi", "kapolres-{k}", "Kapolres {kota}{s}", "kapolres", "polisi", "Kapolres{ta} {s}", "police"),
    ("tni", "dandim-{k}", "Komandan Kodim {s}", "dandim", "tni", "Dandim {s}", "military"),
    ("kejaksaan", "kajari-{k}", "Kepala Kejaksaan Negeri {s}", "kajari", "kejaksaan", "Kajari {s}", "law"),
    ("dprd", "ketua-dprd-{k}", "Ketua DPRD {n}", "ketua-dprd", "dprd", "Ketua DPRD {n}", "civil"),
)
NATIONAL_ORGS = (
    ("kpu", "kpu-ri", "Komisi Pemilihan Umum Republik Indonesia", "ElectionCommission", "KPU RI", "national"),
    ("bawaslu", "bawaslu-ri", "Badan Pengawas Pemilihan Umum Republik Indonesia", "ElectionSupervisor", "Bawaslu RI",
     "national"),
    ("dkpp", "dkpp", "Dewan Kehormatan Penyelenggara Pemilu", "EthicsCouncil", "DKPP", "national"),
    ("kemendagri", "kemendagri", "Kementerian Dalam Negeri", "GovernmentAgency", "Kemendagri", "national"),
    ("polisi", "polri", "Kepolisian Negara Republik Indonesia", "Police", "Polri", "national"),
    ("tni", "tni", "Tentara Nasional Indonesia", "Military", "TNI", "national"),
    ("kejaksaan", "kejagung", "Kejaksaan Agung Republik Indonesia", "Prosecution", "Kejagung", "national"),
)
NATIONAL_POSTS = (
    ("kpu", "ketua-kpu-ri", "Ketua KPU RI", "ketua-kpu", "kpu", "Ketua KPU RI", "civil"),
    ("bawaslu", "ketua-bawaslu-ri", "Ketua Bawaslu RI", "ketua-bawaslu", "bawaslu", "Ketua Bawaslu RI", "law"),
)

# Offices filled by appointment: (shortest, longest spell in days, acting kind between holders, its rate).
ROTATION = {
    "sekretaris-daerah": (500, 1400, "Plt", 0.3), "kepala-kesbangpol": (400, 1200, "Plt", 0.2),
    "kapolda": (300, 700, None, 0.0), "kapolres": (270, 600, None, 0.0), "danrem": (300, 720, None, 0.0),
    "dandim": (300, 720, None, 0.0), "kajati": (300, 700, None, 0.0), "kajari": (300, 700, None, 0.0),
}
# Offices with fixed terms: (office group, level) -> window in which the new members took office.
TERM_CHANGES = {
    ("kpu", "national"): (dt.date(2022, 4, 12), dt.date(2022, 4, 12)),
    ("kpu", "province"): (dt.date(2023, 5, 24), dt.date(2023, 10, 31)),
    ("kpu", "regency"): (dt.date(2023, 6, 1), dt.date(2024, 8, 31)),
    ("bawaslu", "national"): (dt.date(2022, 4, 12), dt.date(2022, 4, 12)),
    ("bawaslu", "province"): (dt.date(2022, 9, 20), dt.date(2022, 10, 20)),
    ("bawaslu", "regency"): (dt.date(2023, 8, 15), dt.date(2023, 9, 15)),
    ("dprd", "province"): (dt.date(2024, 9, 20), dt.date(2024, 10, 15)),
    ("dprd", "regency"): (dt.date(2024, 8, 20), dt.date(2024, 9, 30)),
}
TERM_GROUP = {"ketua-kpu": "kpu", "anggota-kpu": "kpu", "ketua-bawaslu": "bawaslu", "ketua-dprd": "dprd"}


# ---- What the articles talk about ----

# (id, election, stage kind, name as printed, start, end): KPU schedule dates where known, else approximate
STAGES = (
    ("pemilu-2024-voter-data-update", "pemilu-2024", "voter-data-update", "pemutakhiran data pemilih",
     dt.date(2022, 10, 14), dt.date(2023, 6, 21)),
    ("pemilu-2024-campaign", "pemilu-2024", "campaign", "kampanye Pemilu 2024", dt.date(2023, 11, 28), dt.date(2024, 2, 10)),
    ("pemilu-2024-voting", "pemilu-2024", "voting", "pemungutan suara", dt.date(2024, 2, 14), dt.date(2024, 2, 14)),
    ("pemilu-2024-recapitulation", "pemilu-2024", "recapitulation", "rekapitulasi hasil penghitungan suara",
     dt.date(2024, 2, 15), dt.date(2024, 3, 20)),
    ("pilkada-serentak-2024-ad-hoc-recruitment", "pilkada-serentak-2024", "ad-hoc-recruitment",
     "pembentukan badan ad hoc", dt.date(2024, 4, 18), dt.date(2024, 5, 31)),
    ("pilkada-serentak-2024-coklit", "pilkada-serentak-2024", "coklit",
     "pencocokan dan penelitian (coklit) data pemilih", dt.date(2024, 6, 24), dt.date(2024, 7, 24)),
    ("pilkada-serentak-2024-campaign", "pilkada-serentak-2024", "campaign", "kampanye Pilkada Serentak 2024",
     dt.date(2024, 9, 25), dt.date(2024, 11, 23)),
    ("pilkada-serentak-2024-voting", "pilkada-serentak-2024", "voting", "pemungutan suara",
     dt.date(2024, 11, 27), dt.date(2024, 11, 27)),
    ("pilkada-serentak-2024-recapitulation", "pilkada-serentak-2024", "recapitulation",
     "rekapitulasi hasil penghitungan suara", dt.date(2024, 11, 28), dt.date(2024, 12, 16)),
)

# (id, as printed, title with {ref} for the citation of what it amends or enacts, in force since,
#  amends, enacts): real statute numbers; only the wording of their citations is templated
PPU = "Peraturan Pemerintah Pengganti Undang-Undang"
REGULATIONS = (
    ("perppu/2014/1", f"{PPU} Nomor 1 Tahun 2014", "Pemilihan Gubernur, Bupati, dan Walikota",
     dt.date(2014, 10, 2), None, None),
    ("uu/2015/1", "Undang-Undang Nomor 1 Tahun 2015", "Penetapan {ref} menjadi Undang-Undang",
     dt.date(2015, 2, 2), None, "perppu/2014/1"),
    ("uu/2016/10", "Undang-Undang Nomor 10 Tahun 2016", "Perubahan Kedua atas {ref}",
     dt.date(2016, 7, 1), "uu/2015/1", None),
    ("perppu/2020/2", f"{PPU} Nomor 2 Tahun 2020", "Perubahan Ketiga atas {ref}",
     dt.date(2020, 5, 4), "uu/2015/1", None),
    ("uu/2020/6", "Undang-Undang Nomor 6 Tahun 2020", "Penetapan {ref} menjadi Undang-Undang",
     dt.date(2020, 8, 11), None, "perppu/2020/2"),
    ("uu/2017/7", "Undang-Undang Nomor 7 Tahun 2017", "Pemilihan Umum", dt.date(2017, 8, 16), None, None),
    ("perppu/2022/1", f"{PPU} Nomor 1 Tahun 2022", "Perubahan atas {ref}", dt.date(2022, 12, 12), "uu/2017/7", None),
    ("uu/2023/7", "Undang-Undang Nomor 7 Tahun 2023", "Penetapan {ref} menjadi Undang-Undang",
     dt.date(2023, 4, 1), None, "perppu/2022/1"),
    ("pkpu/2022/3", "Peraturan KPU Nomor 3 Tahun 2022", "Tahapan dan Jadwal Penyelenggaraan Pemilihan Umum Tahun 2024",
     dt.date(2022, 6, 9), None, None),
    ("pkpu/2022/7", "Peraturan KPU Nomor 7 Tahun 2022",
     "Penyusunan Daftar Pemilih dalam Penyelenggaraan Pemilihan Umum dan Sistem Informasi Data Pemilih",
     dt.date(2022, 9, 1), None, None),
    ("pkpu/2024/2", "Peraturan KPU Nomor 2 Tahun 2024", "Tahapan dan Jadwal Pemilihan Gubernur dan Wakil Gubernur, "
     "Bupati dan Wakil Bupati, serta Wali Kota dan Wakil Wali Kota Tahun 2024", dt.date(2024, 1, 26), None, None),
    ("permendagri/2011/61", "Peraturan Menteri Dalam Negeri Nomor 61 Tahun 2011",
     "Pedoman Pemantauan, Pelaporan dan Evaluasi Perkembangan Politik di Daerah", dt.date(2011, 10, 1), None, None),
    ("permendagri/2019/54", "Peraturan Menteri Dalam Negeri Nomor 54 Tahun 2019",
     "Pendanaan Kegiatan Pemilihan Gubernur, Bupati, dan Wali Kota yang Bersumber dari Anggaran Pendapatan dan "
     "Belanja Daerah", dt.date(2019, 8, 1), None, None),
    ("permendagri/2020/41", "Peraturan Menteri Dalam Negeri Nomor 41 Tahun 2020", "Perubahan atas {ref}",
     dt.date(2020, 6, 1), "permendagri/2019/54", None),
)

# organiser role -> (weight at regency/province level, weight at national level)
ORGANIZERS = (("pemda", 35, 0), ("kpu", 25, 60), ("bawaslu", 15, 40), ("kesbangpol", 15, 0), ("polisi", 10, 0))
# organiser role -> (theme with {e} for the election, topics it is about)
THEMES = {
    "pemda": (("Kesiapan {e}", ("election-preparation",)), ("Forkopimda Menghadapi {e}", ("election-preparation", "security")),
              ("Netralitas ASN pada {e}", ("asn-neutrality",)), ("Dukungan Anggaran {e}", ("election-budget",))),
    "kpu": (("Persiapan Tahapan {e}", ("election-preparation", "election-schedule")),
            ("Pemutakhiran Data Pemilih {e}", ("voter-data",)), ("Distribusi Logistik {e}", ("logistics",)),
            ("Pembentukan Badan Ad Hoc {e}", ("ad-hoc-recruitment",))),
    "bawaslu": (("Pengawasan Tahapan {e}", ("election-preparation",)), ("Pengawasan Kampanye {e}", ("campaign",)),
                ("Pencegahan Pelanggaran Netralitas ASN pada {e}", ("asn-neutrality",))),
    "kesbangpol": (("Pemantauan Perkembangan Politik Daerah pada {e}", ("political-monitoring",)),
                   ("Desk {e}", ("election-preparation",))),
    "polisi": (("Pengamanan {e}", ("security",)), ("Kesiapan Pengamanan {e}", ("security", "logistics"))),
}
QUALIFIERS = {"Definitive": ("",), "Pj": ("Pj ", "Pj. ", "Penjabat (Pj) "), "Pjs": ("Pjs ", "Penjabat Sementara (Pjs) "),
              "Plh": ("Plh ", "Plh. "), "Plt": ("Plt ", "Plt. ")}
