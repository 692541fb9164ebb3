package normalize

// The reviewed override tables of CountryCode. The library
// (github.com/biter777/countries v1.7.5) supplies ISO 3166-1 codes, English
// short names and an alias list; these tables add what it does not know and
// pin what it gets wrong. docs/countries.md explains the rules.
//
// Every entry is a fact: an official or common name of the country, its
// nationality adjective, an abbreviation publishers print, or a spelling seen
// in a real publication. Code "" marks a text that must stay unmapped (it is
// ambiguous, or the library would map it wrongly). Names are compared by
// countryKey, so "Korea, North" and "korea north" are one entry. Functions,
// not variables: the package keeps no mutable state.

// countryAlias gives one code to several texts.
type countryAlias struct {
	code  string // ISO 3166-1 alpha-2; "" = keep unmapped
	names []string
}

// codeAlias maps one upper-case code-shaped text (two or three letters).
type codeAlias struct {
	text, code string
}

// formerCodes are codes CountryCode may return that the library does not
// list. SU: the USSR's ISO 3166-1 code until 1992, kept "exceptionally
// reserved" by the ISO 3166 Maintenance Agency; the USSR has no single
// successor (ISO 3166-3 SUHH), and SU never denoted anything else.
func formerCodes() []string { return []string{"SU"} }

// codeOverrides are code-shaped texts that are not ISO 3166-1 codes, or whose
// ISO 3166-1 reading is wrong for sanctions lists.
func codeOverrides() []codeAlias {
	return []codeAlias{
		// ISO 3166-1 exceptionally reserves UK for the United Kingdom; OFAC,
		// the UN and the EU print it.
		{"UK", "GB"},
		// The European Union's interinstitutional code for Greece (EU
		// Interinstitutional Style Guide, section 7.1).
		{"EL", "GR"},
		// ISO 3166-3 former alpha-3 of the USSR (see formerCodes).
		{"SUN", "SU"},
		// CS was Czechoslovakia's code until 1993 and Serbia and Montenegro's
		// from 2003 to 2006: one code, two states; unmapped. CSK and SCG
		// are their alpha-3 codes, mapped the same way as their names.
		{"CS", ""}, {"CSK", ""}, {"SCG", ""},
		// DD and DDR (German Democratic Republic): ISO 3166-3 DDDE says the
		// state merged into DE; mapped to the successor like the name.
		{"DD", "DE"}, {"DDR", "DE"},
		// Exceptionally reserved for organizations, not countries.
		{"EU", ""}, {"UN", ""},
		// Not codes: "00" is the EU's "unknown" (not letters, never looked
		// up); "na" is the UN's "not available" (see countryTabs.code).
	}
}

// regionOverrides are the regions OFAC prints as "Region: <name>", and the
// same names printed alone. A region maps to the ISO 3166-1 country whose
// ISO 3166-2 subdivisions (or, for PS, whose ISO 3166-1 entry) cover it;
// disputed areas ISO 3166 assigns to no one stay unmapped.
func regionOverrides() []countryAlias {
	return []countryAlias{
		// ISO 3166-2:UA lists UA-43 (Autonomous Republic of Crimea) and UA-40
		// (Sevastopol); OFAC prints "Region: Crimea" for entries there.
		{"UA", []string{"Crimea", "Autonomous Republic of Crimea", "Sevastopol"}},
		// ISO 3166-1 PS (Palestine, State of) covers the West Bank, East
		// Jerusalem and the Gaza Strip.
		{"PS", []string{"Gaza", "Gaza Strip", "West Bank"}},
		{"ML", []string{"Northern Mali"}},
		// Kafia Kingi and Abyei: claimed by both Sudan and South Sudan.
		{"", []string{"Kafia Kingi", "Abyei"}},
	}
}

// nameOverrides are names, abbreviations and nationality adjectives.
func nameOverrides() []countryAlias {
	return []countryAlias{
		// Texts that name no country.
		{"", []string{"unknown", "undetermined", "not known", "not available", "n/a", "none",
			"stateless", "unspecified", "various", "international", "not applicable"}},
		// Ambiguous: two countries answer to these. The library maps
		// "Korea" to KR and "Timor" to TL; "Papua" and "New Guinea" are
		// also Indonesian; "Guiana" may be French Guiana or Guyana;
		// "Virgin Islands" British or US; "Congolese" and "Dominican" serve
		// two states each; "Island" is German for Iceland but English for
		// any island (the library maps it to IS).
		{"", []string{"Korea", "Korean", "Timor", "Papua", "New Guinea", "Guiana",
			"Virgin Islands", "Congolese", "Dominican", "Island"}},
		// ISO 3166-3: Czechoslovakia (CSHH) and Serbia and Montenegro (CSXX)
		// both held CS and left no single successor; unmapped. The library
		// maps "Serbia and Montenegro" to YU.
		{"", []string{"Czechoslovakia", "Czechoslovak", "Czecho-Slovakia",
			"Serbia and Montenegro", "Serbia & Montenegro", "State Union of Serbia and Montenegro"}},
		// ISO 3166-3 SUHH: the USSR, no single successor; SU (formerCodes).
		// The library maps "USSR" to RU.
		{"SU", []string{"USSR", "U.S.S.R.", "Soviet Union", "former Soviet Union", "Former USSR",
			"Union of Soviet Socialist Republics", "Soviet"}},
		// ISO 3166-3 YUCS: Yugoslavia; YU (the library knows it) never
		// denoted another state.
		{"YU", []string{"former Yugoslavia", "Socialist Federal Republic of Yugoslavia",
			"Federal Republic of Yugoslavia", "Yugoslav"}},
		// ISO 3166-3 names a single successor: the former state is wholly
		// today's country (renamed or merged).
		{"DE", []string{"East Germany", "German Democratic Republic", "West Germany",
			"Federal Republic of Germany", "German"}},
		{"YE", []string{"South Yemen", "Democratic Yemen", "People's Democratic Republic of Yemen",
			"Yemen Arab Republic", "North Yemen", "Yemeni"}},
		{"VN", []string{"Viet Nam", "Socialist Republic of Viet Nam", "Vietnamese", "North Vietnam",
			"Democratic Republic of Vietnam"}},
		{"BF", []string{"Upper Volta", "Burkinabe", "Burkinabè"}},
		{"BJ", []string{"Dahomey", "Beninese"}},
		{"ZW", []string{"Southern Rhodesia", "Zimbabwean"}},
		{"VU", []string{"New Hebrides", "Vanuatuan", "Ni-Vanuatu"}},
		{"MM", []string{"Burma", "Union of Burma", "Republic of the Union of Myanmar", "Burmese"}},
		{"CD", []string{"Zaire", "DRC", "DR Congo", "D.R. Congo", "Democratic Republic of Congo",
			"Congo-Kinshasa", "Congo (Kinshasa)", "Congo, Democratic Republic of the",
			"Congo (the Democratic Republic of the)", "Congo, The Democratic Republic of the"}},
		{"TL", []string{"East Timor", "Timor-Leste", "Democratic Republic of Timor-Leste", "Timorese",
			"East Timorese"}},
		// Republic of the Congo (Brazzaville) is CG. The library maps
		// "Congo Republic" and "Republic of Congo" to CD: wrong.
		{"CG", []string{"Republic of the Congo", "Republic of Congo", "Congo Republic",
			"Congo-Brazzaville", "Congo (Brazzaville)", "Congo, Republic of the", "Kongo Republic",
			"Republic of Kongo"}},
		{"KP", []string{"North Korea", "Korea, North", "DPRK", "D.P.R.K.", "DPR Korea", "DPR of Korea",
			"Democratic People's Republic of Korea", "Korea, Democratic People's Republic of",
			"Korea (Democratic People's Republic of)", "Korea (the Democratic People's Republic of)",
			"North Korean",
			// French and Spanish abbreviation (République populaire
			// démocratique de Corée, República Popular Democrática de
			// Corea); the UN prints it as the issuing country of passports
			// next to French and Spanish document types.
			"RPDC"}},
		{"KR", []string{"South Korea", "Korea, South", "Republic of Korea", "Korea, Republic of",
			"Korea (the Republic of)", "South Korean"}},
		{"IR", []string{"Iran", "Islamic Republic of Iran", "Iran, Islamic Republic of",
			"Iran (Islamic Republic of)", "Persia", "Iranian"}},
		{"RU", []string{"Russia", "Russian Federation", "Russian"}},
		{"SY", []string{"Syria", "Syrian Arab Republic", "Syrian"}},
		{"LY", []string{"Libya", "Libyan Arab Jamahiriya", "Libyan Arab Jamahirya", "State of Libya",
			"Great Socialist People's Libyan Arab Jamahiriya", "Libyan"}},
		{"LA", []string{"Laos", "Lao People's Democratic Republic", "Lao PDR", "Lao", "Laotian"}},
		{"MD", []string{"Moldova", "Republic of Moldova", "Moldova, Republic of", "Moldova (the Republic of)",
			"Moldovan"}},
		{"TZ", []string{"Tanzania", "United Republic of Tanzania", "Tanzania, United Republic of",
			"Tanzania (United Republic of)", "Tanzania, the United Republic of", "Tanzanian"}},
		{"VE", []string{"Venezuela", "Bolivarian Republic of Venezuela", "Venezuela, Bolivarian Republic of",
			"Venezuela (Bolivarian Republic of)", "Venezuelan"}},
		{"BO", []string{"Bolivia", "Plurinational State of Bolivia", "Bolivia, Plurinational State of",
			"Bolivia (Plurinational State of)", "Bolivian"}},
		{"FM", []string{"Micronesia", "Federated States of Micronesia", "Micronesia, Federated States of",
			"Micronesia (Federated States of)", "Micronesian"}},
		{"TW", []string{"Taiwan", "Taiwan, Province of China", "Taiwan (Province of China)", "Taiwanese"}},
		{"HK", []string{"Hong Kong", "Hong Kong SAR", "Hong Kong Special Administrative Region",
			"China, Hong Kong Special Administrative Region", "Hong Kong, China",
			"Hong Kong Special Administrative Region of China"}},
		{"MO", []string{"Macau", "Macao", "Macao SAR", "Macao Special Administrative Region",
			"China, Macao Special Administrative Region", "Macau Special Administrative Region"}},
		{"PS", []string{"Palestine", "State of Palestine", "Palestine, State of", "Palestinian",
			"Palestinian Territories", "Palestinian Territory", "Occupied Palestinian Territory",
			"Palestinian Territory, Occupied", "Occupied Palestinian Territories"}},
		{"MK", []string{"North Macedonia", "Republic of North Macedonia", "Macedonia",
			"Macedonia, The Former Yugoslav Republic of", "The Former Yugoslav Republic of Macedonia",
			"Former Yugoslav Republic of Macedonia", "FYROM", "Macedonian", "North Macedonian"}},
		{"SZ", []string{"Eswatini", "Swaziland", "Kingdom of Eswatini", "Swazi"}},
		{"CZ", []string{"Czechia", "Czech Republic", "Czech"}},
		{"TR", []string{"Turkey", "Türkiye", "Turkiye", "Republic of Türkiye", "Turkish"}},
		{"CI", []string{"Côte d'Ivoire", "Cote d Ivoire", "Ivory Coast", "Ivorian"}},
		{"CV", []string{"Cabo Verde", "Cape Verde", "Cape Verdean", "Cabo Verdean"}},
		{"BN", []string{"Brunei", "Brunei Darussalam", "Bruneian"}},
		{"VA", []string{"Holy See", "Vatican", "Vatican City", "Holy See (Vatican City State)"}},
		{"BS", []string{"Bahamas", "The Bahamas", "Bahamas, The", "Bahamian"}},
		{"GM", []string{"Gambia", "The Gambia", "Gambia, The", "Gambian"}},
		{"NL", []string{"Netherlands", "The Netherlands", "Netherlands, The", "Kingdom of the Netherlands",
			"Holland", "Dutch"}},
		{"GB", []string{"United Kingdom", "United Kingdom of Great Britain and Northern Ireland",
			"Great Britain", "Britain", "British"}},
		{"US", []string{"United States", "United States of America", "U.S.A.", "U.S.", "American"}},
		{"AE", []string{"United Arab Emirates", "UAE", "U.A.E.", "Emirati"}},
		{"SA", []string{"Saudi Arabia", "Kingdom of Saudi Arabia", "Saudi", "Saudi Arabian"}},
		{"OM", []string{"Oman", "Sultanate of Oman", "Omani"}},
		{"KM", []string{"Comoros", "Union of the Comoros", "Comoran", "Comorian"}},
		{"VG", []string{"British Virgin Islands", "Virgin Islands, British", "Virgin Islands (British)"}},
		{"VI", []string{"United States Virgin Islands", "US Virgin Islands", "Virgin Islands, U.S.",
			"Virgin Islands (U.S.)"}},
		{"IM", []string{"Isle of Man", "Man, Isle of"}},
		{"AN", []string{"Netherlands Antilles"}},
		// ISO 3166-1 short names the library spells otherwise.
		{"MF", []string{"Saint Martin (French part)"}},
		{"SX", []string{"Sint Maarten (Dutch part)"}},
		{"SH", []string{"Saint Helena, Ascension and Tristan da Cunha"}},
		{"AM", []string{"Republic of Armenia"}},
		{"BY", []string{"Republic of Belarus"}},
		// Misspellings printed in real publications (the former HMT list),
		// each unambiguous.
		{"AF", []string{"Afgan", "Aghanistan", "Afganistan"}},
		{"GB", []string{"United Kingom"}},
		{"TT", []string{"Trinadad and Tobago"}},
		{"QA", []string{"Qatarian"}},
		// ISO 3166-1 had BY and UA for the Byelorussian and Ukrainian SSRs
		// (UN members since 1945); the codes did not change in 1991.
		{"UA", []string{"Ukrainian SSR", "Ukrainian Soviet Socialist Republic", "Ukrainian"}},
		{"BY", []string{"Byelorussian SSR", "Belorussian SSR", "Belarusian"}},
		{"UA", []string{"Ukranian SSR"}}, // sic, the former HMT list
		// Soviet republics that became independent under a new name in 1991
		// as the same state on the same territory.
		{"RU", []string{"RSFSR", "Russian SFSR", "Russian Soviet Federative Socialist Republic"}},
		{"KZ", []string{"Kazakh SSR", "Kazakh Soviet Socialist Republic"}},
		// Nationality adjectives (demonyms): the UN and the UK print
		// nationalities this way ("Afghan", "Iraqi").
		{"AF", []string{"Afghan"}},
		{"AL", []string{"Albanian"}},
		{"DZ", []string{"Algerian"}},
		{"AD", []string{"Andorran"}},
		{"AO", []string{"Angolan"}},
		{"AR", []string{"Argentine", "Argentinian"}},
		{"AM", []string{"Armenian"}},
		{"AU", []string{"Australian"}},
		{"AT", []string{"Austrian"}},
		{"AZ", []string{"Azerbaijani", "Azeri"}},
		{"BH", []string{"Bahraini"}},
		{"BD", []string{"Bangladeshi"}},
		{"BB", []string{"Barbadian"}},
		{"BE", []string{"Belgian"}},
		{"BZ", []string{"Belizean"}},
		{"BT", []string{"Bhutanese"}},
		{"BA", []string{"Bosnian", "Bosnia-Herzegovina", "Bosnian and Herzegovinian"}},
		{"BW", []string{"Botswanan", "Motswana"}},
		{"BR", []string{"Brazilian"}},
		{"BG", []string{"Bulgarian"}},
		{"BI", []string{"Burundian"}},
		{"KH", []string{"Cambodian"}},
		{"CM", []string{"Cameroonian"}},
		{"CA", []string{"Canadian"}},
		{"CF", []string{"Central African"}},
		{"TD", []string{"Chadian"}},
		{"CL", []string{"Chilean"}},
		{"CN", []string{"Chinese", "People's Republic of China"}},
		{"CO", []string{"Colombian"}},
		{"CR", []string{"Costa Rican"}},
		{"HR", []string{"Croatian"}},
		{"CU", []string{"Cuban"}},
		{"CY", []string{"Cypriot"}},
		{"DK", []string{"Danish"}},
		{"DJ", []string{"Djiboutian", "Republic of Djibouti"}},
		{"EC", []string{"Ecuadorian"}},
		{"EG", []string{"Egyptian", "Arab Republic of Egypt"}},
		{"SV", []string{"Salvadoran", "Salvadorean"}},
		{"GQ", []string{"Equatorial Guinean", "Equatoguinean"}},
		{"ER", []string{"Eritrean"}},
		{"EE", []string{"Estonian"}},
		{"ET", []string{"Ethiopian"}},
		{"FJ", []string{"Fijian"}},
		{"FI", []string{"Finnish"}},
		{"FR", []string{"French"}},
		{"GA", []string{"Gabonese"}},
		{"GE", []string{"Georgian"}},
		{"GH", []string{"Ghanaian"}},
		{"GR", []string{"Greek"}},
		{"GD", []string{"Grenadian"}},
		{"GT", []string{"Guatemalan"}},
		{"GN", []string{"Guinean"}},
		{"GW", []string{"Bissau-Guinean"}},
		{"GY", []string{"Guyanese"}},
		{"HT", []string{"Haitian"}},
		{"HN", []string{"Honduran"}},
		{"HU", []string{"Hungarian"}},
		{"IS", []string{"Icelandic"}},
		{"IN", []string{"Indian"}},
		{"ID", []string{"Indonesian"}},
		{"IQ", []string{"Iraqi"}},
		{"IE", []string{"Irish"}},
		{"IL", []string{"Israeli"}},
		{"IT", []string{"Italian"}},
		{"JM", []string{"Jamaican"}},
		{"JP", []string{"Japanese"}},
		{"JO", []string{"Jordanian"}},
		{"KZ", []string{"Kazakh", "Kazakhstani"}},
		{"KE", []string{"Kenyan"}},
		// Kosovo: XK is the code the EU and the UK print (user-assigned, not
		// ISO 3166-1); the library knows it.
		{"XK", []string{"Kosovan", "Kosovar", "Republic of Kosovo"}},
		{"KW", []string{"Kuwaiti"}},
		{"KG", []string{"Kyrgyz", "Kyrgyzstani", "Kyrgyz Republic"}},
		{"LV", []string{"Latvian"}},
		{"LB", []string{"Lebanese"}},
		{"LR", []string{"Liberian"}},
		{"LI", []string{"Liechtensteiner"}},
		{"LT", []string{"Lithuanian"}},
		{"LU", []string{"Luxembourgish", "Luxembourger"}},
		{"MG", []string{"Malagasy"}},
		{"MW", []string{"Malawian"}},
		{"MY", []string{"Malaysian"}},
		{"MV", []string{"Maldivian"}},
		{"ML", []string{"Malian"}},
		{"MT", []string{"Maltese"}},
		{"MH", []string{"Marshallese"}},
		{"MR", []string{"Mauritanian"}},
		{"MU", []string{"Mauritian"}},
		{"MX", []string{"Mexican"}},
		{"MC", []string{"Monegasque"}},
		{"MN", []string{"Mongolian"}},
		{"ME", []string{"Montenegrin", "Republic of Montenegro"}},
		{"MA", []string{"Moroccan"}},
		{"MZ", []string{"Mozambican"}},
		{"NA", []string{"Namibian"}},
		{"NR", []string{"Nauruan"}},
		{"NP", []string{"Nepalese", "Nepali"}},
		{"NZ", []string{"New Zealander"}},
		{"NI", []string{"Nicaraguan"}},
		{"NE", []string{"Nigerien"}},
		{"NG", []string{"Nigerian"}},
		{"NO", []string{"Norwegian"}},
		{"PK", []string{"Pakistani"}},
		{"PW", []string{"Palauan"}},
		{"PA", []string{"Panamanian"}},
		{"PG", []string{"Papua New Guinean"}},
		{"PY", []string{"Paraguayan"}},
		{"PE", []string{"Peruvian"}},
		{"PH", []string{"Filipino", "Philippine"}},
		{"PL", []string{"Polish"}},
		{"PT", []string{"Portuguese"}},
		{"QA", []string{"Qatari"}},
		{"RO", []string{"Romanian"}},
		{"RW", []string{"Rwandan"}},
		{"LC", []string{"Saint Lucian"}},
		{"VC", []string{"Vincentian"}},
		{"WS", []string{"Samoan"}},
		{"SM", []string{"Sammarinese"}},
		{"ST", []string{"Sao Tomean"}},
		{"SN", []string{"Senegalese"}},
		{"RS", []string{"Serbian", "Republic of Serbia"}},
		{"SC", []string{"Seychellois"}},
		{"SL", []string{"Sierra Leonean"}},
		{"SG", []string{"Singaporean"}},
		{"SK", []string{"Slovak"}},
		{"SI", []string{"Slovenian", "Slovene"}},
		{"SB", []string{"Solomon Islander"}},
		{"SO", []string{"Somali"}},
		{"ZA", []string{"South African"}},
		{"SS", []string{"South Sudanese"}},
		{"ES", []string{"Spanish"}},
		{"LK", []string{"Sri Lankan"}},
		{"SD", []string{"Sudanese"}},
		{"SR", []string{"Surinamese"}},
		{"SE", []string{"Swedish"}},
		{"CH", []string{"Swiss"}},
		{"TJ", []string{"Tajik", "Tajikistani"}},
		{"TH", []string{"Thai"}},
		{"TG", []string{"Togolese"}},
		{"TO", []string{"Tongan"}},
		{"TT", []string{"Trinidadian", "Trinidadian and Tobagonian"}},
		{"TN", []string{"Tunisian"}},
		{"TM", []string{"Turkmen"}},
		{"TV", []string{"Tuvaluan"}},
		{"UG", []string{"Ugandan"}},
		{"UY", []string{"Uruguayan"}},
		{"UZ", []string{"Uzbek", "Uzbekistani"}},
		{"ZM", []string{"Zambian"}},
	}
}
