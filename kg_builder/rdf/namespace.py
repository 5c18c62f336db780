"""The egkg ontology's terms as a closed rdflib namespace: a typo raises instead of minting an IRI.

Kept equal to ontology/egkg.ttl by tests/test_ontology.py; edit the ontology first, then this list.
"""

from rdflib import URIRef
from rdflib.namespace import DefinedNamespace, Namespace

__all__ = ["EGKG", "ID"]

ID = Namespace("https://w3id.org/egkg/id/")


class EGKG(DefinedNamespace):
    """Classes (UpperCamelCase) and properties (lowerCamelCase) of https://w3id.org/egkg/ontology#."""

    _NS = Namespace("https://w3id.org/egkg/ontology#")
    _fail = True

    ActingOfficial: URIRef
    ActingPostHolding: URIRef
    ActingRegionalHead: URIRef
    AdHocBody: URIRef
    AdministrativeLevel: URIRef
    AppointmentKind: URIRef
    Citation: URIRef
    City: URIRef
    Coordination: URIRef
    Election: URIRef
    ElectionBody: URIRef
    ElectionCommission: URIRef
    ElectionStage: URIRef
    ElectionSupervisor: URIRef
    ElectionType: URIRef
    EthicsCouncil: URIRef
    Evidence: URIRef
    ForkopimdaSeat: URIRef
    Forum: URIRef
    GovernmentAgency: URIRef
    Indicator: URIRef
    Legislature: URIRef
    MediaOutlet: URIRef
    Meeting: URIRef
    MeetingKind: URIRef
    Military: URIRef
    NameVariant: URIRef
    NameVariantKind: URIRef
    Observation: URIRef
    OfficeHolderGroup: URIRef
    OfficeType: URIRef
    Organization: URIRef
    PageFurniture: URIRef
    ParticipantRole: URIRef
    Participation: URIRef
    Person: URIRef
    Place: URIRef
    Police: URIRef
    Post: URIRef
    PostHolding: URIRef
    Prosecution: URIRef
    Province: URIRef
    ProvincialInstitution: URIRef
    Regency: URIRef
    RegencyInstitution: URIRef
    Region: URIRef
    RegionalGovernment: URIRef
    RegionalHeadPost: URIRef
    Regulation: URIRef
    RegulationType: URIRef
    Rule: URIRef
    SecurityOrLegalBody: URIRef
    Source: URIRef
    SourceError: URIRef
    SourceErrorKind: URIRef
    StageKind: URIRef
    Topic: URIRef
    Unit: URIRef

    academicDegree: URIRef
    advertorial: URIRef
    appointmentKind: URIRef
    archivedText: URIRef
    article: URIRef
    asOf: URIRef
    asPrinted: URIRef
    attestedOn: URIRef
    byline: URIRef
    chair: URIRef
    citedRegulation: URIRef
    citesRegulation: URIRef
    concerns: URIRef
    concernsRegion: URIRef
    coordinatedWith: URIRef
    correction: URIRef
    curatorNote: URIRef
    datePublished: URIRef
    documentDate: URIRef
    electionDay: URIRef
    electionMonth: URIRef
    electionType: URIRef
    enacts: URIRef
    endDate: URIRef
    endOffset: URIRef
    errorKind: URIRef
    evidence: URIRef
    firstAttested: URIRef
    firstDate: URIRef
    forElection: URIRef
    hasCitation: URIRef
    hasNameVariant: URIRef
    hasParticipation: URIRef
    hasSeat: URIRef
    headline: URIRef
    holder: URIRef
    holds: URIRef
    honorificPrefix: URIRef
    inCapacityOf: URIRef
    inLanguage: URIRef
    inRegion: URIRef
    inSource: URIRef
    indicator: URIRef
    institution: URIRef
    issuer: URIRef
    jurisdiction: URIRef
    kemendagriCode: URIRef
    lastAttested: URIRef
    lastDate: URIRef
    level: URIRef
    meeting: URIRef
    meetingKind: URIRef
    name: URIRef
    number: URIRef
    officeType: URIRef
    organizer: URIRef
    outletName: URIRef
    parentRegion: URIRef
    partOfElection: URIRef
    participant: URIRef
    participatesIn: URIRef
    party: URIRef
    portfolio: URIRef
    post: URIRef
    postIn: URIRef
    printedName: URIRef
    publishedNote: URIRef
    publisher: URIRef
    quote: URIRef
    rank: URIRef
    rankAmongInstitutionPairs: URIRef
    rankAmongPairs: URIRef
    rankAmongPersonPairs: URIRef
    reason: URIRef
    regulationType: URIRef
    replaces: URIRef
    reportedAt: URIRef
    represents: URIRef
    retrieved: URIRef
    role: URIRef
    ruleFile: URIRef
    sharedCount: URIRef
    sharedMeeting: URIRef
    stageKind: URIRef
    stageOf: URIRef
    startDate: URIRef
    startOffset: URIRef
    temporarilyReplaces: URIRef
    title: URIRef
    topic: URIRef
    unit: URIRef
    url: URIRef
    value: URIRef
    valueText: URIRef
    variantKind: URIRef
    variantName: URIRef
    venue: URIRef
    year: URIRef
