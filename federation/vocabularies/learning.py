"""Vocabularies of courses (schema.org Course, European Learning Model): EQF
levels, ISCED-F fields, school levels, target groups, modes and languages."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class EqfLevel(models.IntegerChoices):
    """The eight levels of the European Qualifications Framework."""

    EQF1 = 1, _("EQF 1: basic general knowledge")
    EQF2 = 2, _("EQF 2: basic factual knowledge of a field")
    EQF3 = 3, _("EQF 3: knowledge of facts, principles and processes")
    EQF4 = 4, _("EQF 4: factual and theoretical knowledge in broad contexts")
    EQF5 = 5, _("EQF 5: comprehensive, specialised knowledge (short cycle)")
    EQF6 = 6, _("EQF 6: advanced knowledge (bachelor level)")
    EQF7 = 7, _("EQF 7: highly specialised knowledge (master level)")
    EQF8 = 8, _("EQF 8: knowledge at the most advanced frontier (doctoral level)")


class IscedField(models.TextChoices):
    """ISCED-F 2013 fields of education: broad and narrow fields, and the
    detailed fields of ICT (the ones most AI courses fall under)."""

    F00 = "00", _("00 Generic programmes and qualifications")
    F001 = "001", _("001 Basic programmes and qualifications")
    F002 = "002", _("002 Literacy and numeracy")
    F003 = "003", _("003 Personal skills and development")
    F01 = "01", _("01 Education")
    F011 = "011", _("011 Education")
    F02 = "02", _("02 Arts and humanities")
    F021 = "021", _("021 Arts")
    F022 = "022", _("022 Humanities (except languages)")
    F023 = "023", _("023 Languages")
    F03 = "03", _("03 Social sciences, journalism and information")
    F031 = "031", _("031 Social and behavioural sciences")
    F032 = "032", _("032 Journalism and information")
    F04 = "04", _("04 Business, administration and law")
    F041 = "041", _("041 Business and administration")
    F042 = "042", _("042 Law")
    F05 = "05", _("05 Natural sciences, mathematics and statistics")
    F051 = "051", _("051 Biological and related sciences")
    F052 = "052", _("052 Environment")
    F053 = "053", _("053 Physical sciences")
    F054 = "054", _("054 Mathematics and statistics")
    F06 = "06", _("06 Information and communication technologies (ICTs)")
    F061 = "061", _("061 Information and communication technologies")
    F0611 = "0611", _("0611 Computer use")
    F0612 = "0612", _("0612 Database and network design and administration")
    F0613 = "0613", _("0613 Software and applications development and analysis")
    F0619 = "0619", _("0619 ICTs not elsewhere classified")
    F068 = "068", _("068 Inter-disciplinary programmes involving ICTs")
    F07 = "07", _("07 Engineering, manufacturing and construction")
    F071 = "071", _("071 Engineering and engineering trades")
    F072 = "072", _("072 Manufacturing and processing")
    F073 = "073", _("073 Architecture and construction")
    F08 = "08", _("08 Agriculture, forestry, fisheries and veterinary")
    F081 = "081", _("081 Agriculture")
    F082 = "082", _("082 Forestry")
    F083 = "083", _("083 Fisheries")
    F084 = "084", _("084 Veterinary")
    F09 = "09", _("09 Health and welfare")
    F091 = "091", _("091 Health")
    F092 = "092", _("092 Welfare")
    F10 = "10", _("10 Services")
    F101 = "101", _("101 Personal services")
    F102 = "102", _("102 Hygiene and occupational health services")
    F103 = "103", _("103 Security services")
    F104 = "104", _("104 Transport services")


class SchoolLevel(models.TextChoices):
    """The level of education a course belongs to (ISCED 2011, plus professional
    learning outside the school system)."""

    PRIMARY = "primary", _("Primary education")
    LOWER_SECONDARY = "lower-secondary", _("Lower secondary education")
    UPPER_SECONDARY = "upper-secondary", _("Upper secondary education")
    POST_SECONDARY = "post-secondary", _("Post-secondary, non-tertiary education")
    SHORT_CYCLE = "short-cycle-tertiary", _("Short-cycle tertiary education")
    BACHELOR = "bachelor", _("Bachelor or equivalent")
    MASTER = "master", _("Master or equivalent")
    DOCTORAL = "doctoral", _("Doctoral or equivalent")
    PROFESSIONAL = "professional", _("Professional development")


class TargetGroup(models.TextChoices):
    """Who a course is for."""

    PUPILS = "pupils", _("Pupils")
    STUDENTS = "students", _("Students")
    PROFESSIONALS = "professionals", _("Professionals")
    CIVIL_SERVANTS = "civil-servants", _("Civil servants")
    POLICY_MAKERS = "policy-makers", _("Politicians and policy makers")
    SMES = "smes", _("SMEs")
    CITIZENS = "citizens", _("Citizens")


class CourseMode(models.TextChoices):
    """How a course is given."""

    ONLINE = "online", _("Online")
    ON_SITE = "on-site", _("On site")
    BLENDED = "blended", _("Blended (online and on site)")


class Language(models.TextChoices):
    """The 24 official languages of the EU (ISO 639-1), named in themselves."""

    BG = "bg", "български"
    CS = "cs", "čeština"
    DA = "da", "dansk"
    DE = "de", "Deutsch"
    EL = "el", "ελληνικά"
    EN = "en", "English"
    ES = "es", "español"
    ET = "et", "eesti"
    FI = "fi", "suomi"
    FR = "fr", "français"
    GA = "ga", "Gaeilge"
    HR = "hr", "hrvatski"
    HU = "hu", "magyar"
    IT = "it", "italiano"
    LT = "lt", "lietuvių"
    LV = "lv", "latviešu"
    MT = "mt", "Malti"
    NL = "nl", "Nederlands"
    PL = "pl", "polski"
    PT = "pt", "português"
    RO = "ro", "română"
    SK = "sk", "slovenčina"
    SL = "sl", "slovenščina"
    SV = "sv", "svenska"
