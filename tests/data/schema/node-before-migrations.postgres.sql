--
-- PostgreSQL database dump
--


-- Dumped from database version 15.20 (Debian 15.20-0+deb12u1)
-- Dumped by pg_dump version 15.20 (Debian 15.20-0+deb12u1)

SET statement_timeout = 0;
SET lock_timeout = 0;
SET idle_in_transaction_session_timeout = 0;
SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;
SET check_function_bodies = false;
SET xmloption = content;
SET client_min_messages = warning;
SET row_security = off;

--
-- Name: fixture_nl; Type: SCHEMA; Schema: -; Owner: -
--



SET default_tablespace = '';

SET default_table_access_method = heap;

--
-- Name: agreement_usage; Type: TABLE; Schema: -; Owner: -
--

CREATE TABLE agreement_usage (
    partner character varying(64) NOT NULL,
    period character varying(8) NOT NULL,
    window_start timestamp with time zone NOT NULL,
    amount bigint NOT NULL
);


--
-- Name: agreements; Type: TABLE; Schema: -; Owner: -
--

CREATE TABLE agreements (
    partner character varying(64) NOT NULL,
    datasets text NOT NULL,
    purposes text NOT NULL,
    mode character varying(8) NOT NULL,
    max_keys_per_query bigint NOT NULL,
    max_keys_per_day bigint NOT NULL,
    queries_per_minute integer NOT NULL,
    expires_at timestamp with time zone
);


--
-- Name: datasets; Type: TABLE; Schema: -; Owner: -
--

CREATE TABLE datasets (
    id integer NOT NULL,
    name character varying(64) NOT NULL,
    sealed_server_key bytea NOT NULL,
    version integer NOT NULL,
    created_at timestamp with time zone NOT NULL,
    updated_at timestamp with time zone NOT NULL
);


--
-- Name: datasets_id_seq; Type: SEQUENCE; Schema: -; Owner: -
--

CREATE SEQUENCE datasets_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: datasets_id_seq; Type: SEQUENCE OWNED BY; Schema: -; Owner: -
--

ALTER SEQUENCE datasets_id_seq OWNED BY datasets.id;


--
-- Name: filters; Type: TABLE; Schema: -; Owner: -
--

CREATE TABLE filters (
    dataset_id integer NOT NULL,
    version integer NOT NULL,
    key_count integer NOT NULL,
    setup bytea NOT NULL,
    created_at timestamp with time zone NOT NULL
);


--
-- Name: identifiers; Type: TABLE; Schema: -; Owner: -
--

CREATE TABLE identifiers (
    id bigint NOT NULL,
    record_id bigint NOT NULL,
    kind character varying(32) NOT NULL,
    "position" integer NOT NULL,
    value text NOT NULL
);


--
-- Name: identifiers_id_seq; Type: SEQUENCE; Schema: -; Owner: -
--

CREATE SEQUENCE identifiers_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: identifiers_id_seq; Type: SEQUENCE OWNED BY; Schema: -; Owner: -
--

ALTER SEQUENCE identifiers_id_seq OWNED BY identifiers.id;


--
-- Name: key_epochs; Type: TABLE; Schema: -; Owner: -
--

CREATE TABLE key_epochs (
    dataset_id integer NOT NULL,
    epoch integer NOT NULL,
    version integer NOT NULL,
    started_at timestamp with time zone NOT NULL,
    reason character varying(32) NOT NULL
);


--
-- Name: key_rotation_claims; Type: TABLE; Schema: -; Owner: -
--

CREATE TABLE key_rotation_claims (
    dataset_id integer NOT NULL,
    token character varying(64) NOT NULL,
    claimed_at timestamp with time zone NOT NULL,
    expires_at timestamp with time zone NOT NULL
);


--
-- Name: ledger_entries; Type: TABLE; Schema: -; Owner: -
--

CREATE TABLE ledger_entries (
    seq bigint NOT NULL,
    "time" timestamp with time zone NOT NULL,
    direction character varying(8) NOT NULL,
    query_id text NOT NULL,
    counterpart text NOT NULL,
    investigator_id text NOT NULL,
    case_id text NOT NULL,
    purpose text NOT NULL,
    legal_basis text NOT NULL,
    key_count bigint NOT NULL,
    outcome text NOT NULL,
    receipt text,
    prev_hash bytea NOT NULL,
    entry_hash bytea NOT NULL
);


--
-- Name: local_users; Type: TABLE; Schema: -; Owner: -
--

CREATE TABLE local_users (
    name character varying(128) NOT NULL,
    role character varying(16) NOT NULL,
    enabled boolean NOT NULL,
    created_at timestamp with time zone NOT NULL,
    secret_hash text NOT NULL
);


--
-- Name: match_keys; Type: TABLE; Schema: -; Owner: -
--

CREATE TABLE match_keys (
    id bigint NOT NULL,
    record_id bigint NOT NULL,
    dataset_id integer NOT NULL,
    kind character varying(32) NOT NULL,
    value text NOT NULL,
    key_spec character varying(64) NOT NULL
);


--
-- Name: match_keys_id_seq; Type: SEQUENCE; Schema: -; Owner: -
--

CREATE SEQUENCE match_keys_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: match_keys_id_seq; Type: SEQUENCE OWNED BY; Schema: -; Owner: -
--

ALTER SEQUENCE match_keys_id_seq OWNED BY match_keys.id;


--
-- Name: records; Type: TABLE; Schema: -; Owner: -
--

CREATE TABLE records (
    id bigint NOT NULL,
    dataset_id integer NOT NULL,
    ref character varying(256) NOT NULL,
    content_hash character varying(64) NOT NULL
);


--
-- Name: records_id_seq; Type: SEQUENCE; Schema: -; Owner: -
--

CREATE SEQUENCE records_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: records_id_seq; Type: SEQUENCE OWNED BY; Schema: -; Owner: -
--

ALTER SEQUENCE records_id_seq OWNED BY records.id;


--
-- Name: seen_queries; Type: TABLE; Schema: -; Owner: -
--

CREATE TABLE seen_queries (
    scope character varying(128) NOT NULL,
    query_id character varying(128) NOT NULL,
    expires_at timestamp with time zone NOT NULL
);


--
-- Name: datasets id; Type: DEFAULT; Schema: -; Owner: -
--

ALTER TABLE ONLY datasets ALTER COLUMN id SET DEFAULT nextval('datasets_id_seq'::regclass);


--
-- Name: identifiers id; Type: DEFAULT; Schema: -; Owner: -
--

ALTER TABLE ONLY identifiers ALTER COLUMN id SET DEFAULT nextval('identifiers_id_seq'::regclass);


--
-- Name: match_keys id; Type: DEFAULT; Schema: -; Owner: -
--

ALTER TABLE ONLY match_keys ALTER COLUMN id SET DEFAULT nextval('match_keys_id_seq'::regclass);


--
-- Name: records id; Type: DEFAULT; Schema: -; Owner: -
--

ALTER TABLE ONLY records ALTER COLUMN id SET DEFAULT nextval('records_id_seq'::regclass);


--
-- Data for Name: agreement_usage; Type: TABLE DATA; Schema: -; Owner: -
--

INSERT INTO agreement_usage VALUES ('FR', 'minute', '2026-12-01 19:56:00+00', 1);
INSERT INTO agreement_usage VALUES ('FR', 'day', '2026-12-01 00:00:00+00', 14);


--
-- Data for Name: agreements; Type: TABLE DATA; Schema: -; Owner: -
--

INSERT INTO agreements VALUES ('FR', '["*"]', '["*"]', 'hits', 100000, 10000000, 10000, NULL);


--
-- Data for Name: datasets; Type: TABLE DATA; Schema: -; Owner: -
--

INSERT INTO datasets VALUES (1, 'watchlist', '\x4c534b313e7545a2ce781ef232ec8e16667563c23a6907388682f6cd07debe533f7a73a701c93fb147114588362a550f7c9ae0a5f36c0e87b9f1555b8c62f105', 1, '2026-12-01 19:56:41.902907+00', '2026-12-01 19:56:41.96975+00');


--
-- Data for Name: filters; Type: TABLE DATA; Schema: -; Owner: -
--

INSERT INTO filters VALUES (1, 1, 837, '\x12c627082e108080a8ec85afd1b1011ab7270601a8927cbb90ca83c0e082ff6845044ce2d264a575ec7b076042e812c6e4650ae11c32ba27e212db9c319daf66d4675009effe75999d5bcecd6c4adea1fcba76fbf9fda91510b055825de285aa55dcf3abce1812b3a86b2d587449d4c682eb85969bd9bc5de3ea01e91a637501e93fef5be14e446cd6464b7b1ae9f98fe99c82c7e79c23c331b74c6a17da3a1f12db62a6ccdb8c7f6217cf4b007f038542119e4972c85aafe46853c530833cc9f39922be550dbfc7809ac3f063c6958c5f5b69a386a845a61c011bd3aa83f4e95689959aea163bf1e745645022d0919b1a46ab9c52b13c5cdcab85a4abb4127e8e592b524cf2380fa6117e846ca5902bb582dec5f49e7fdeb99e744386d28f1480c877eb40fdaf5beaaac2abb4eb00e752793f96c17e46040421c58a964af124d557691e3c934f8fc0cb20daea82e954bbe734d20ca8773751dc5ccd2c85a7858eb1ab4d29dcd71f2039ad6e1a3c2389255303922bd804b3308fd0b307ac0a773dcd11cc175513d0edebf45669494396439d444b8af48657c666ae63d26b647a788b5621a0ba89ea65d982a0674fc4bc6e40803a586e8959b5f2487e5dc6ac112a5a7c4f2d3dd2b7fda6be20673e7f81b983dab57dfb7351cd26c71fa0c4443e5814c7f315aa001dc4c33349a4c5d75d8c568cfcf5c0cfe71f1a04e1c6513f0b47ad66b70225055820933c1e0c80d8ab38463c94a97a2d06c679a35ac20779ba8f2369163d3d8eb0bdc0b71570e6ede307832e134519883ce5e6d63c43de6f2f2770e46c3ad620fd61a8c3cb77fabc80c9a722520b6f6ac6df98a7197c77582fb39690e2608280cb232249194c66011ace23814a34a6604d2030b4cf45d4c72e8152b47151418e5b73461767146b10595869a359231e2009927e5da5d5c3d377aaa0e6ca0c93b46c6c24c346b8b57736911b13eab82b9df4f03a42e8822ac5ffd567d2cb59e3fcc25157e59febec419e3c0b290cb3b034fcccb50adcc88544d16dca2a8fd03ba71ad9c449b643003eda01f5100f962c74af4507635b096b2937c1144051dfa74491c93951799dc5a26f509d092dc86e480f5a9e36e1218a7c78c17dfc4adbadeea3103dd0a43dcc0c233c47bcb80cc27fcb117a86af7197c957394c628896ee77236d28db3bc66165aa564d6a4e2a56630ae678e79fe0454b12a42b686b4716a492f8b35f8aea3a0f653fb495180c78d4f04cf4e5f2db4b94d45551ffcf2c833c5b12f7b0ce2cb3613a31191269edce2676b59db2efd8455eaf0d90e9533e2f1d0fe0df6b30df2632df0cb459b3d57ad797fc7223795f18cbaf55d240e213c4502be79c8d944767104f63d07024352456c58c2714f8a1ad693a6c0ac9791f03b0e0e9308989cec2dae4b820c267dab4000e4262661e83cdee074c3f277cdf764d485660c544bb65c59df44510ad8c2ce32ea476f64d4d0a103d3ddad1709fd743b083db2e38d91ec80f24967967615f5c62df844270f5307e1367753df6ad4ad6120f4f2e79311606418c9f239ad267316d0aa25728912be43f32f91101386fa125361b1b6d061bb897180084fb8d8ad04edae87a16a84c110332b2b994a62773c0154328bbf764428a97b9ad6bda6e26a442693e9a3a218ba1cb8676c30692e55897a15064b4340c366d25467c35866fcc8b72206b8d4230d27cb76411d4fa7ffc713fb92d1e11ae9ac82c215f24ebe810c6427a57d12f35ec82277f2d7c4f429e2313e31d399b5c60d1912c09cb131d89a0358d1908e4cc8d5b5da14ee2f2b3152a72e15f755fd64a07e67b9567dd78845beec5e0f180ecc942e88f25f8b07e0f9a9ef0b272ab8b80f2eb19f35e4f92e186d5a38caafc268842b0816cb2c4ad0b9046a9dd2f060e542f43d1d339971295b4afdf25ff3454b458b00640534f06598fc49d83550f324fccb9e00a48bf934a56f8bd99f565dc6e5c87f78598c8a2b018be4d6b2ff0c1e9112c1c94c2c2da6e442a8258ab6d54cd710b5ac65cebf834ae3d9d2efad91cbdc2c37257a103e7770a55c68f42de7d6786dd47b676f036f6fc80f48a041d4763759eb5e7d171ca5686777a4c4d177faa1b2bde940b9e54b9f06773a55fa17f694e684b13701c7383651fef85df23bfba61b6869ba05808a8e60924025927cf87e70614c4db8c7cc366ef52f59142b2bf9f829dfcb78782544350cc424c84c943e1e9b6f30195d85c69599f480374d44f1e7148ba4a99a0a69757e19ae3e233522e5834ccc7c289e70fec6d7368fd3494b0e179ddea807e82ea01d889a6266ecd866081098bce474014d53678466ae95cad0cfa7166b55522b68e89e2010f1d654bcb38ba5be996e0d63bf00d609cfcf010887c13d054a23ca111c1f1c9c7974e091c3124196875f57aafcd5ea748c852d3d8077a23d26f0afbdb2da36706dae5113d9f6d5c6ac036411cfcae1b38e200d76556834317942c1b06ead26d4877c8f2676e605c0eaf278d89483ea7590b90c00211799b6addd50a07f3e71508998dbc82a73d8029b25329f524e632bdd1b81933c64553cbac6987e9867e435d90e775e4eec9200d1a2176a5bfbba67d2bdc3745a5c7eb18147ebbb09d9463087203908a7d21b65db1630431de9c1a0f6a229272c42248b5d5790a3a2625fdc5b6450808a47ca47d96c9c9170cbeec537dbe62b757da0701eb2d7dfab406411d51036889936d7fe06e2d5b02847a708ac4377991e027340a36905fdc17e2cc05b638e064aa8b0c2dca834be6244c090a1b6b5d75aac077d5c02ed9553f1e1dd66ecdb6ad0130897eb78703f4996da948162c9f1d69a9c20cde77ed597babb759f2fc9c171b25ef591ad522a07a7b9e33a0796d785de68e53b715a4b1823522e54c4234a99538b2110e12af0cba146c1bb22a3f023a987c001f301fa7a5ae0e3526cb4f494c2c2dd96cd1474f0f7565f8fa705211c3f8d6b4c707c7155c3c4e0452ca9eb4e7c071374765575d86eaed8091065a6ccc4c84892e0388b2c0edfd815f52a480b76d0a38bb5c0ececd58c7d6b1accc690596f9efed0d68a4608bcca0b1724895160a58a880cc228aa1e6884619bceff38fbbf77466406515ed6def704a09532fa4285c8baaf2752275b8775952d712ff2f7d02aad7a3dceb996a79e0075c7b05cb2025f82d8fe084b1357c1ec565324962176ba90b671e92d044ccb1bfb6f291bcad4e40d76a78180a4c9ef6cb7d331d6cd19f299f43c3dfc0363dbcedb25bfbdd07d4b5828aaf97e9932f9485af0a6396bf7a47bbc575ccc1cc0873ca497f6634ac062c54cd830fbfc6cc3500a9315e5e62ae78d49fd1c4e2ba8107fa219165f03dc7586ed0a77ecfa91ca370e6db1e6e44a29c85a617d9c152bcf6ec8c728b5574af1e2c25f90a3c60730f3c101f81d2acf09e748b350dc753531c14847477e3ad89d3ec62ab1bc1e96523f9eabe524fe205d80c1576134b079952429884d523793df9b1d38389014bbc3db504f27abac28b1df4b1b0be695acb348488aae329976ac3be1325ae0d7257f1670d04864fa675eb4ac9b99a92d5a34e25c36adb33c28a16a85bf004ed976a9808bb3b37a42586d4749a4f768cf2c8c6d224a420614883520593d2fe03b0e6d5b52494ef542d72eab5ec7edc5f0d91f35aa280bdcb1cab7ccafd7b03753eb8720ced60f8084f5e3c34f09acf83c60fcf1a9d1b373aa0de485d8a3106bcb6a18dc94fa8e506471fa871e5b5bd9d8f488362dfcb9c44ad09278fbad6c5a97198991ad7b86dcba7efaad840415a747cf83a2d57fa25df293ad57029892b959a9b7b011278809ad9ac8c862ddf465db34f7379e2eb8e7f7f4d4a71ae4d8680cbc14c7de31b28b8b986a1db94cd79b49af9e940096245b6222b19a0dd9d62f86892256889f8423265962780c8a152f91b321033239642126acfe9b9f6ae8b484db6676e14064d56ff9976b1c467866e56839809046bb49c9989becf822848c5459ba37f790f3fec4cb4308058bbb90cd0ae7036518c087c82bfe3f2076e14aba508a97fea66f7d826e250b3dab91451cf76a4f125c6838258611adae446f2cdaeaa72765968f594fef92dfa267b3ac1b54fa297d09324f61c65428a990dc5615305377804cdbac3ec4103cee742f8cfa5d641527423418c45669cee4872b1c58837c83ab54487ab427ce383f7144550b079e3e61009c248fe08e8df3514bb2bb1df806dca9890af100f316ec7ed4e3d7785d4e9c53fdebe7366c558f24160e051f019e5ee32f523c459002283742fc0f00907c1a6f1bf63f5830c9bd5d5173cd32046852656b06489c82132b5a6473894158f6d5ffeb0f4239b36b43ae95db60cadab317b34a55a91481b6441aa019b74b2d745153be4f514bcb55373c85c29ef327014d1a36c2415ecad69257480e46124bd4e9514ebad7f23eaee9d021c43f37021db4c790881fc416aff946a5d74382e7ee86f3a2adfcec0773482b69c2df52051851d19e749bc05446339f87c181c575ba1623264718c739b0502dcbdd45ed0b9104d558337835ba40567cfd5bf5be58fb64ce9fb7e478e1021e5b24b4595ec175f2ec5f210bdc34c8bd1d93959c0c0feaba75f44c2efc876d0fae7642db76425569706c742396c24057e0f3051f4579df3c66f3f6aa6bfb4a414e67710cc4901a6076e2034775ed1fbcc37d21beb72f28b17644634c6fe185e5b6db5b459adf916225ee5bd45d5378e247ab93c4c8eae139f8af695891d7622bac0df6954fd0307975c24e067da99f0c07ddc2ae53b363f6ecb47cb34d1681a3d4debbc23489d5789b5f5135f77602b7a3d7816817a5af250a22285af57fa498c4719490413ca1af623a0c187016e6852e4f4dc5d34b95b305dce4e77a5a2444e9512433cf7510e98ef232d018684cc7ee5d768d844844753710b8af9e08bd6aea3af8017a78d959bf2a858e8cd7e51f1b022793e6cf94e8e64585df12e0419c743968061c16317534384afd98b7cdcf6933c7406fd2e15ad68ab8c887f49583d766901a1f855c3fa96d3917dd7e0917b2f6c24e24defc9d3b1ebfd9c21710b29e28281e73e212867f4e3adeba74c9db64f0efa6d701a7c471593fb742e0bacb586f85ae402755a5f4e129f3c06278cc3f3fecde9c70d4571242ff60b304c244ed39bea1056ba01e6345d180ee5162048f424a8d762c32cece504adb62257babac051ccb621a7a96f845a159f5abcf58acfd1323b45a3aba2828669abadec15ccb224e66d4bfff4504af956297ed1760784146e8192e36c87e99ed26322c0382b521534ab9bdfea2b5da61e0eddd366db016d9a3a7096dcc95ec06f6b0880eb398796109b751243c296af379fbaeb8d0562b6094576a890636d37e6850372617bb0b005da44db9e4cf7bd39af7fc07d6779806f067a39b601b1902681f3f4b7399dd8ba653c57e99475e6304215009304ae1f00d97e4f9a6769a9bd060606328eab4f9d308d10be50c042f1230515b29047d300bf314e8a61688dbca9a9d5f64cd37809decc92eea49886f3a71d8aed66f29e5c62ec8910e903cc9d2b1cdff68c984bce5ff2a56a8a8527af6128ee8e2c3ebc9604df30e00d8bcbc4c22dc16fba1b2ec5f0ac3f387a3abcd8705c4f3c1a6b0b8843a5366b03220a66e5aadb288af9ea2fee193a100b054de375928a269c53f752aa3c14cd1c5ea2f86f74cce577f3d82c48157a7b7eb5da4655ac02b0b4d0eae68050ea349a6da31c6463e57910e2903e03ceeab22612a931bf3f82c82e6a5c0d4d216a222c1adfb1498352057fa90e9285d3cadb9922ccc0c65313d40afa9b048c4e428b76578b7bb12cd60f9fa931f2dd9e1d5dc6603bde6b49d3e4a2e4659e14bdbebdfdd0775e05883c7f155be082490d521199b6bbaff980b962bd731d021136b8d6a30a1afa5a9a520b97ed833295818816c2972d5fd85bf6c45bdb3db30c4116b396345c923b4587b76960493b41eb204464dd95e9f14e88dad0d384a26de78ff9469056b26b89ae232621088e495c19113a33fd82b7f9483f20938794c6df28c92cf07522e33479c54d273feb72cf9f81ccc77e43073a8f016662114f373056435978946654328522c54ef063767bbe7ede0e2c5650fd7262260c7ad0d0421fafb1defa3e85b25ae1f9e2a1ae0b69c5607c29539a8802e9bb4384b5a802fe8b3825a9030aecc0e9d17561f1364391a3e63815532527454a40db02eff135675cd5abd5c5f36e8d9d5aebf057812d4ddb733d7cd7da07b5cd634cc3c5880ceed98609aea236eac24fed1a36ed681fcba2c0a3f7034b45d2d770c4a716f0615262a7494bd2ab306506454e995b6d358d446a28a64ebb8ff304fbd51d00218a5f39af2f096c90ea24233e9b1f02fb1a552cb7a5b5ec797e74acb0037198415737866a82fd88e807f88ba12eb17fc3b6c823e2e0918c1db5025a847c7f920121e7bf52406005b34832ad6e8cfab68d94dc36fcdff50fdc16acdf98547267b3bf7123a1fb299babf7c65f8891951a14f8815f64dddd90e01f9f61cb280aa732fe5ff8b869bad97273c8bfa8482b945608214f9d95e2872c78eaf1b0a59b8170f2f23d815a27268e22d431ee69559324d59b7f31ff15700cf222f714a0b28ca1ae742cc5f863f12c6f0b5ad1386ce645763780e30f1a4e02f826949d08ae77a8ea3409ffd43cd2fddd109ef61382352e75094e497e6a07ed45a7ad8d656c0a7afdb282557436a701b0436e8db00c87368a52c78a9189412a7600c898c15d85807fefb3efee61c0af7bb522479722f95914db2a8055fef0b6fe02661b98637cca7794f0cb7003bc208a54b28a8e7b768f54b507b9d089817da926806bea1b04e3f304bc652a750c86f95775532f7e8260e36116b228998d8a4bbbf82911edc212b877338331f22bb65638ec02932e5cdddd18a6874b36891afe2bd71ed856a44d29ffb71e11e7c7a194a9e0ab8c72a0f21d02bc249842bc212e9b66dd6ae9bb56e70f0acff4fdb5941e1ef2400a8926a71921a8dc5103cb5fd32f519a3ecd469354c71df6380e5bbef3d9be5b270153c2d7439f806fa1ad72fcbbd5cd5502f6100534d9c1e402b87a6f7967b2674d27eb913f0b08ee702832d9fdd4396f1d', '2026-12-01 19:56:42.037994+00');


--
-- Data for Name: identifiers; Type: TABLE DATA; Schema: -; Owner: -
--

INSERT INTO identifiers VALUES (1, 1, 'full_name', 0, 'René Lemaître');
INSERT INTO identifiers VALUES (2, 1, 'date_of_birth', 0, '1981-06-11');
INSERT INTO identifiers VALUES (3, 1, 'nationality', 0, 'FR');
INSERT INTO identifiers VALUES (4, 1, 'document_number', 0, '04MC51083');
INSERT INTO identifiers VALUES (5, 1, 'national_id', 0, '281068176224034');
INSERT INTO identifiers VALUES (6, 1, 'phone', 0, '0033789230829');
INSERT INTO identifiers VALUES (7, 1, 'email', 0, 'RENE.LEMAITRE@POST.EXAMPLE');
INSERT INTO identifiers VALUES (8, 1, 'iban', 0, 'FR7676092253057421722443226');
INSERT INTO identifiers VALUES (9, 2, 'full_name', 0, 'van Dijk Mila');
INSERT INTO identifiers VALUES (10, 2, 'date_of_birth', 0, '1968-02-11');
INSERT INTO identifiers VALUES (11, 2, 'nationality', 0, 'BE');
INSERT INTO identifiers VALUES (12, 2, 'phone', 0, '+32 461 54 44 89');
INSERT INTO identifiers VALUES (13, 2, 'email', 0, 'vandijk.mila59@post.example');
INSERT INTO identifiers VALUES (14, 2, 'iban', 0, 'BE92 7353 1659 2123');
INSERT INTO identifiers VALUES (15, 3, 'full_name', 0, 'Hannah LANGE');
INSERT INTO identifiers VALUES (16, 3, 'date_of_birth', 0, '1999-10-05');
INSERT INTO identifiers VALUES (17, 3, 'nationality', 0, 'DE');
INSERT INTO identifiers VALUES (18, 3, 'document_number', 0, 'cz5w 29vvj');
INSERT INTO identifiers VALUES (19, 3, 'phone', 0, '004915259996264');
INSERT INTO identifiers VALUES (20, 3, 'iban', 0, 'de22 7641 3283 3603 3961 77');
INSERT INTO identifiers VALUES (21, 4, 'full_name', 0, 'RIVIERE Agnes');
INSERT INTO identifiers VALUES (22, 4, 'date_of_birth', 0, '1967-02-04');
INSERT INTO identifiers VALUES (23, 4, 'nationality', 0, 'FR');
INSERT INTO identifiers VALUES (24, 4, 'document_number', 0, '98GC37443');
INSERT INTO identifiers VALUES (25, 4, 'phone', 0, '+33 6 43 58 23 84');
INSERT INTO identifiers VALUES (26, 4, 'email', 0, 'AGNES.RIVIERE@MAIL.EXAMPLE');
INSERT INTO identifiers VALUES (27, 4, 'iban', 0, 'FR7661992033905206059074720');
INSERT INTO identifiers VALUES (28, 5, 'full_name', 0, 'Karim RAHMANI');
INSERT INTO identifiers VALUES (29, 5, 'date_of_birth', 0, '1966');
INSERT INTO identifiers VALUES (30, 5, 'nationality', 0, 'NL');
INSERT INTO identifiers VALUES (31, 5, 'document_number', 0, 'VRXT 1HMG7');
INSERT INTO identifiers VALUES (32, 5, 'document_country', 0, 'NL');
INSERT INTO identifiers VALUES (33, 5, 'phone', 0, '0652125279');
INSERT INTO identifiers VALUES (34, 5, 'email', 0, 'k.rahmani@post.example');
INSERT INTO identifiers VALUES (35, 5, 'iban', 0, 'nl88rabo8062271326');
INSERT INTO identifiers VALUES (36, 6, 'full_name', 0, 'Lucia Jimenez Ruiz');
INSERT INTO identifiers VALUES (37, 6, 'date_of_birth', 0, '1995-11-30');
INSERT INTO identifiers VALUES (38, 6, 'nationality', 0, 'ES');
INSERT INTO identifiers VALUES (39, 6, 'document_number', 0, 'TYJ962493');
INSERT INTO identifiers VALUES (40, 6, 'document_country', 0, 'ES');
INSERT INTO identifiers VALUES (41, 6, 'national_id', 0, '56174139C');
INSERT INTO identifiers VALUES (42, 6, 'phone', 0, '732425002');
INSERT INTO identifiers VALUES (43, 6, 'email', 0, 'luciajimenezruiz10@example.org');
INSERT INTO identifiers VALUES (44, 7, 'full_name', 0, 'Huseyin Yıldız');
INSERT INTO identifiers VALUES (45, 7, 'date_of_birth', 0, '1951-06');
INSERT INTO identifiers VALUES (46, 7, 'nationality', 0, 'DE');
INSERT INTO identifiers VALUES (47, 7, 'document_number', 0, 'c133 jkrlh');
INSERT INTO identifiers VALUES (48, 7, 'phone', 0, '+4915227160217');
INSERT INTO identifiers VALUES (49, 7, 'email', 0, 'HUSEYINYILDIZ@EXAMPLE.NET');
INSERT INTO identifiers VALUES (50, 7, 'iban', 0, 'DE16868963617100070183');
INSERT INTO identifiers VALUES (51, 8, 'full_name', 0, 'Fischer Anna');
INSERT INTO identifiers VALUES (52, 8, 'date_of_birth', 0, '1974-10-25');
INSERT INTO identifiers VALUES (53, 8, 'nationality', 0, 'DE');
INSERT INTO identifiers VALUES (54, 8, 'document_number', 0, 'CFXN-6V41P');
INSERT INTO identifiers VALUES (55, 8, 'phone', 0, '+4915156931358');
INSERT INTO identifiers VALUES (56, 8, 'phone', 1, '+4915074009760');
INSERT INTO identifiers VALUES (57, 8, 'iban', 0, 'DE98245372435871506162');
INSERT INTO identifiers VALUES (58, 9, 'full_name', 0, 'Hussein Qasim');
INSERT INTO identifiers VALUES (59, 9, 'date_of_birth', 0, '1995-07-12');
INSERT INTO identifiers VALUES (60, 9, 'nationality', 0, 'FR');
INSERT INTO identifiers VALUES (61, 9, 'document_number', 0, '06TC35864');
INSERT INTO identifiers VALUES (62, 9, 'phone', 0, '+33624759756');
INSERT INTO identifiers VALUES (63, 9, 'phone', 1, '+33663972492');
INSERT INTO identifiers VALUES (64, 9, 'email', 0, 'h.qasim@example.com');
INSERT INTO identifiers VALUES (65, 10, 'full_name', 0, 'Weiß Leon');
INSERT INTO identifiers VALUES (66, 10, 'date_of_birth', 0, '1968');
INSERT INTO identifiers VALUES (67, 10, 'nationality', 0, 'DE');
INSERT INTO identifiers VALUES (68, 10, 'document_number', 0, 'crkj2whh5');
INSERT INTO identifiers VALUES (69, 10, 'iban', 0, 'DE43 4242 1303 4638 7928 49');
INSERT INTO identifiers VALUES (70, 10, 'wallet', 0, 'bc1qqrmcmv3rw20ch9697gmnkeg64zrem6zymvj4zf');
INSERT INTO identifiers VALUES (71, 11, 'full_name', 0, 'Karim Rahmani');
INSERT INTO identifiers VALUES (72, 11, 'date_of_birth', 0, '2001-05-13');
INSERT INTO identifiers VALUES (73, 11, 'nationality', 0, 'BE');
INSERT INTO identifiers VALUES (74, 11, 'document_number', 0, 'YK23-2377');
INSERT INTO identifiers VALUES (75, 11, 'national_id', 0, '01051382831');
INSERT INTO identifiers VALUES (76, 11, 'phone', 0, '+32468574573');
INSERT INTO identifiers VALUES (77, 11, 'iban', 0, 'BE51751913994462');
INSERT INTO identifiers VALUES (78, 12, 'full_name', 0, 'Ursula Wolf');
INSERT INTO identifiers VALUES (79, 12, 'date_of_birth', 0, '1983-12-09');
INSERT INTO identifiers VALUES (80, 12, 'nationality', 0, 'DE');
INSERT INTO identifiers VALUES (81, 12, 'document_number', 0, 'CN13NW6TY');
INSERT INTO identifiers VALUES (82, 12, 'phone', 0, '+4915723679221');
INSERT INTO identifiers VALUES (83, 12, 'phone', 1, '01591 3608938');
INSERT INTO identifiers VALUES (84, 12, 'iban', 0, 'DE73186176057095907406');
INSERT INTO identifiers VALUES (85, 13, 'full_name', 0, 'CARMEN GARCIA SANCHEZ');
INSERT INTO identifiers VALUES (86, 13, 'date_of_birth', 0, '1998-12-21');
INSERT INTO identifiers VALUES (87, 13, 'nationality', 0, 'ES');
INSERT INTO identifiers VALUES (88, 13, 'document_number', 0, 'RWU091767');
INSERT INTO identifiers VALUES (89, 13, 'phone', 0, '0034698299187');
INSERT INTO identifiers VALUES (90, 13, 'phone', 1, '+34781371964');
INSERT INTO identifiers VALUES (91, 13, 'email', 0, 'carmen.garciasanchez@mail.example');
INSERT INTO identifiers VALUES (92, 13, 'iban', 0, 'ES8482138503175344283046');
INSERT INTO identifiers VALUES (93, 14, 'full_name', 0, 'Muhammad Belkacem');
INSERT INTO identifiers VALUES (94, 14, 'date_of_birth', 0, '1958-09-08');
INSERT INTO identifiers VALUES (95, 14, 'nationality', 0, 'NL');
INSERT INTO identifiers VALUES (96, 14, 'document_number', 0, 'rt1mvjg24');
INSERT INTO identifiers VALUES (97, 14, 'document_country', 0, 'NL');
INSERT INTO identifiers VALUES (98, 14, 'national_id', 0, '505665645');
INSERT INTO identifiers VALUES (99, 14, 'phone', 0, '+4915915973980');
INSERT INTO identifiers VALUES (100, 14, 'phone', 1, '0684099800');
INSERT INTO identifiers VALUES (101, 15, 'full_name', 0, 'HASAN OZDEMIR');
INSERT INTO identifiers VALUES (102, 15, 'date_of_birth', 0, '1961-12-13');
INSERT INTO identifiers VALUES (103, 15, 'nationality', 0, 'FR');
INSERT INTO identifiers VALUES (104, 15, 'document_number', 0, '86nx16911');
INSERT INTO identifiers VALUES (105, 15, 'national_id', 0, '1 61 12 39 181 957 92');
INSERT INTO identifiers VALUES (106, 15, 'phone', 0, '0033657895392');
INSERT INTO identifiers VALUES (107, 15, 'email', 0, 'HASAN.OZDEMIR62@POST.EXAMPLE');
INSERT INTO identifiers VALUES (108, 15, 'iban', 0, 'FR76 8624 0408 3792 5519 3582 178');
INSERT INTO identifiers VALUES (109, 16, 'full_name', 0, 'LECLERC Sebastien');
INSERT INTO identifiers VALUES (110, 16, 'date_of_birth', 0, '1987-05-01');
INSERT INTO identifiers VALUES (111, 16, 'nationality', 0, 'FR');
INSERT INTO identifiers VALUES (112, 16, 'document_number', 0, '08ZB34613');
INSERT INTO identifiers VALUES (113, 16, 'document_country', 0, 'FR');
INSERT INTO identifiers VALUES (114, 16, 'phone', 0, '+33 7 85 55 42 71');
INSERT INTO identifiers VALUES (115, 16, 'email', 0, 'LECLERC.SEBASTIEN41@EXAMPLE.ORG');
INSERT INTO identifiers VALUES (116, 17, 'full_name', 0, 'Jansen Joost');
INSERT INTO identifiers VALUES (117, 17, 'date_of_birth', 0, '1950-04-16');
INSERT INTO identifiers VALUES (118, 17, 'nationality', 0, 'BE');
INSERT INTO identifiers VALUES (119, 17, 'document_number', 0, 'YD01-6370');
INSERT INTO identifiers VALUES (120, 17, 'document_country', 0, 'BE');
INSERT INTO identifiers VALUES (121, 17, 'iban', 0, 'BE10068759662904');
INSERT INTO identifiers VALUES (122, 18, 'full_name', 0, 'Sem de Jong');
INSERT INTO identifiers VALUES (123, 18, 'date_of_birth', 0, '1954-12-20');
INSERT INTO identifiers VALUES (124, 18, 'nationality', 0, 'NL');
INSERT INTO identifiers VALUES (125, 18, 'document_number', 0, 'DZ75P3CL3');
INSERT INTO identifiers VALUES (126, 18, 'phone', 0, '+31619612873');
INSERT INTO identifiers VALUES (127, 18, 'email', 0, 'semdejong92@example.com');
INSERT INTO identifiers VALUES (128, 19, 'full_name', 0, 'AL HASSAN Mohamed');
INSERT INTO identifiers VALUES (129, 19, 'date_of_birth', 0, '1986-06-04');
INSERT INTO identifiers VALUES (130, 19, 'nationality', 0, 'TN');
INSERT INTO identifiers VALUES (131, 19, 'document_number', 0, 'T346799');
INSERT INTO identifiers VALUES (132, 19, 'document_country', 0, 'TN');
INSERT INTO identifiers VALUES (133, 19, 'phone', 0, '+31622870571');
INSERT INTO identifiers VALUES (134, 19, 'iban', 0, 'NL25TRIO8598537913');
INSERT INTO identifiers VALUES (135, 20, 'full_name', 0, 'Eva Peters');
INSERT INTO identifiers VALUES (136, 20, 'date_of_birth', 0, '1990-07-19');
INSERT INTO identifiers VALUES (137, 20, 'document_number', 0, 'TP467411');
INSERT INTO identifiers VALUES (138, 20, 'document_country', 0, 'BE');
INSERT INTO identifiers VALUES (139, 20, 'phone', 0, '+32459945564');
INSERT INTO identifiers VALUES (140, 21, 'full_name', 0, 'Farouk Hamza');
INSERT INTO identifiers VALUES (141, 21, 'date_of_birth', 0, '1953-10-02');
INSERT INTO identifiers VALUES (142, 21, 'nationality', 0, 'SY');
INSERT INTO identifiers VALUES (143, 21, 'document_number', 0, 'N954831096');
INSERT INTO identifiers VALUES (144, 21, 'document_country', 0, 'SY');
INSERT INTO identifiers VALUES (145, 21, 'phone', 0, '+31639938277');
INSERT INTO identifiers VALUES (146, 21, 'email', 0, 'hamza.farouk@example.net');
INSERT INTO identifiers VALUES (147, 22, 'full_name', 0, 'AL HASSAN Mohamed');
INSERT INTO identifiers VALUES (148, 22, 'date_of_birth', 0, '1973-11-27');
INSERT INTO identifiers VALUES (149, 22, 'nationality', 0, 'DZ');
INSERT INTO identifiers VALUES (150, 22, 'email', 0, 'Alhassan.Mohamed10@Example.com');
INSERT INTO identifiers VALUES (151, 22, 'iban', 0, 'fr7637727049774427247203931');
INSERT INTO identifiers VALUES (152, 23, 'full_name', 0, 'Inès Barbier');
INSERT INTO identifiers VALUES (153, 23, 'date_of_birth', 0, '1978-12-17');
INSERT INTO identifiers VALUES (154, 23, 'nationality', 0, 'FR');
INSERT INTO identifiers VALUES (155, 23, 'document_number', 0, '93PT-70602');
INSERT INTO identifiers VALUES (156, 23, 'document_country', 0, 'FR');
INSERT INTO identifiers VALUES (157, 23, 'national_id', 0, '2 78 12 43 494 077 97');
INSERT INTO identifiers VALUES (158, 23, 'phone', 0, '+33621284050');
INSERT INTO identifiers VALUES (159, 23, 'email', 0, 'BARBIER.INES@EXAMPLE.COM');
INSERT INTO identifiers VALUES (160, 24, 'full_name', 0, 'MURAT ÇETIN');
INSERT INTO identifiers VALUES (161, 24, 'date_of_birth', 0, '1994-12-22');
INSERT INTO identifiers VALUES (162, 24, 'nationality', 0, 'TR');
INSERT INTO identifiers VALUES (163, 24, 'document_number', 0, 'u62433548');
INSERT INTO identifiers VALUES (164, 24, 'national_id', 0, '39486563778');
INSERT INTO identifiers VALUES (165, 24, 'phone', 0, '+905398847665');
INSERT INTO identifiers VALUES (166, 24, 'email', 0, 'MURAT.CETIN48@EXAMPLE.NET');
INSERT INTO identifiers VALUES (167, 24, 'iban', 0, 'tr86 0328 8078 5306 6316 9784 05');
INSERT INTO identifiers VALUES (168, 25, 'full_name', 0, 'EVA DE GRAAF');
INSERT INTO identifiers VALUES (169, 25, 'date_of_birth', 0, '1963-09-04');
INSERT INTO identifiers VALUES (170, 25, 'nationality', 0, 'BE');
INSERT INTO identifiers VALUES (171, 25, 'document_number', 0, 'HU622504');
INSERT INTO identifiers VALUES (172, 25, 'phone', 0, '+32464839733');
INSERT INTO identifiers VALUES (173, 25, 'email', 0, 'degraaf.eva26@example.net');
INSERT INTO identifiers VALUES (174, 25, 'iban', 0, 'be53 3635 5776 1053');
INSERT INTO identifiers VALUES (175, 26, 'full_name', 0, 'Arslan İbrahim');
INSERT INTO identifiers VALUES (176, 26, 'date_of_birth', 0, '1989-05-08');
INSERT INTO identifiers VALUES (177, 26, 'nationality', 0, 'TR');
INSERT INTO identifiers VALUES (178, 26, 'document_number', 0, 'u20053145');
INSERT INTO identifiers VALUES (179, 26, 'document_country', 0, 'TR');
INSERT INTO identifiers VALUES (180, 26, 'national_id', 0, '35692490884');
INSERT INTO identifiers VALUES (181, 26, 'email', 0, 'ibrahim.arslan9@post.example');
INSERT INTO identifiers VALUES (182, 26, 'email', 1, 'ibrahimarslan@example.com');
INSERT INTO identifiers VALUES (183, 26, 'wallet', 0, 'bc1q60n0gle58ach02y6ctevkvpdfs0u3t9t95y0t0');
INSERT INTO identifiers VALUES (184, 27, 'full_name', 0, 'DIJKSTRA Daan');
INSERT INTO identifiers VALUES (185, 27, 'date_of_birth', 0, '2000-10-20');
INSERT INTO identifiers VALUES (186, 27, 'nationality', 0, 'NL');
INSERT INTO identifiers VALUES (187, 27, 'national_id', 0, '8873.90.614');
INSERT INTO identifiers VALUES (188, 27, 'phone', 0, '+31 6 55513487');
INSERT INTO identifiers VALUES (189, 27, 'email', 0, 'D.Dijkstra38@Example.com');
INSERT INTO identifiers VALUES (190, 28, 'full_name', 0, 'KHADIJA NASSER');
INSERT INTO identifiers VALUES (191, 28, 'date_of_birth', 0, '1962');
INSERT INTO identifiers VALUES (192, 28, 'nationality', 0, 'TN');
INSERT INTO identifiers VALUES (193, 28, 'phone', 0, '+4915584804772');
INSERT INTO identifiers VALUES (194, 28, 'iban', 0, 'de33 4516 6090 6522 3995 68');
INSERT INTO identifiers VALUES (195, 28, 'iban', 1, 'DE65816948772174732871');
INSERT INTO identifiers VALUES (196, 29, 'full_name', 0, 'Lucas Smits');
INSERT INTO identifiers VALUES (197, 29, 'date_of_birth', 0, '1974-12-14');
INSERT INTO identifiers VALUES (198, 29, 'nationality', 0, 'NL');
INSERT INTO identifiers VALUES (199, 29, 'document_number', 0, 'LL186Y5Y4');
INSERT INTO identifiers VALUES (200, 29, 'document_country', 0, 'NL');
INSERT INTO identifiers VALUES (201, 29, 'national_id', 0, '236988578');
INSERT INTO identifiers VALUES (202, 29, 'phone', 0, '+31612811418');
INSERT INTO identifiers VALUES (203, 30, 'full_name', 0, 'Camille Lemaître');
INSERT INTO identifiers VALUES (204, 30, 'date_of_birth', 0, '1978-12-25');
INSERT INTO identifiers VALUES (205, 30, 'nationality', 0, 'BE');
INSERT INTO identifiers VALUES (206, 30, 'document_number', 0, 'PH190683');
INSERT INTO identifiers VALUES (207, 30, 'document_country', 0, 'BE');
INSERT INTO identifiers VALUES (208, 30, 'national_id', 0, '78122502178');
INSERT INTO identifiers VALUES (209, 30, 'phone', 0, '+32 458 41 89 34');
INSERT INTO identifiers VALUES (210, 30, 'phone', 1, '+32463154452');
INSERT INTO identifiers VALUES (211, 30, 'email', 0, 'CAMILLE.LEMAITRE@MAIL.EXAMPLE');
INSERT INTO identifiers VALUES (212, 31, 'full_name', 0, 'Annemieke Smits');
INSERT INTO identifiers VALUES (213, 31, 'date_of_birth', 0, '1998-07-26');
INSERT INTO identifiers VALUES (214, 31, 'nationality', 0, 'BE');
INSERT INTO identifiers VALUES (215, 31, 'document_number', 0, 'ML647681');
INSERT INTO identifiers VALUES (216, 31, 'phone', 0, '+32481809152');
INSERT INTO identifiers VALUES (217, 31, 'email', 0, 'smits.annemieke18@mail.example');
INSERT INTO identifiers VALUES (218, 31, 'iban', 0, 'BE37 7371 2655 4428');
INSERT INTO identifiers VALUES (219, 32, 'full_name', 0, 'HENDRIK DE WIT');
INSERT INTO identifiers VALUES (220, 32, 'date_of_birth', 0, '2005');
INSERT INTO identifiers VALUES (221, 32, 'nationality', 0, 'NL');
INSERT INTO identifiers VALUES (222, 32, 'document_number', 0, 'FN7FKHYK1');
INSERT INTO identifiers VALUES (223, 32, 'national_id', 0, '570016575');
INSERT INTO identifiers VALUES (224, 32, 'phone', 0, '+32494357479');
INSERT INTO identifiers VALUES (225, 32, 'iban', 0, 'BE75737330867851');
INSERT INTO identifiers VALUES (226, 33, 'full_name', 0, 'Youssef Mansour');
INSERT INTO identifiers VALUES (227, 33, 'date_of_birth', 0, '1984-09-27');
INSERT INTO identifiers VALUES (228, 33, 'nationality', 0, 'BE');
INSERT INTO identifiers VALUES (229, 33, 'document_number', 0, 'AU55 9658');
INSERT INTO identifiers VALUES (230, 33, 'phone', 0, '+4915006972781');
INSERT INTO identifiers VALUES (231, 33, 'email', 0, 'y.mansour87@post.example');
INSERT INTO identifiers VALUES (232, 33, 'iban', 0, 'DE61 7073 8606 7485 0561 55');
INSERT INTO identifiers VALUES (233, 34, 'full_name', 0, 'Mohammed CHAOUI');
INSERT INTO identifiers VALUES (234, 34, 'date_of_birth', 0, '1960-07-31');
INSERT INTO identifiers VALUES (235, 34, 'nationality', 0, 'FR');
INSERT INTO identifiers VALUES (236, 34, 'document_number', 0, '54HG-41558');
INSERT INTO identifiers VALUES (237, 34, 'document_country', 0, 'FR');
INSERT INTO identifiers VALUES (238, 34, 'phone', 0, '+33799681570');
INSERT INTO identifiers VALUES (239, 34, 'wallet', 0, 'bc1qhzkh3tzj5096wsdl9ka8g8a6yx0777qd0sqgnf');
INSERT INTO identifiers VALUES (240, 35, 'full_name', 0, 'DE WIT Fleur');
INSERT INTO identifiers VALUES (241, 35, 'date_of_birth', 0, '1956');
INSERT INTO identifiers VALUES (242, 35, 'nationality', 0, 'NL');
INSERT INTO identifiers VALUES (243, 35, 'document_number', 0, 'RCR437ML7');
INSERT INTO identifiers VALUES (244, 35, 'national_id', 0, '381638911');
INSERT INTO identifiers VALUES (245, 35, 'phone', 0, '+31681172727');
INSERT INTO identifiers VALUES (246, 35, 'phone', 1, '06 10675035');
INSERT INTO identifiers VALUES (247, 35, 'email', 0, 'fleur.dewit75@post.example');
INSERT INTO identifiers VALUES (248, 35, 'email', 1, 'FLEUR.DEWIT@POST.EXAMPLE');
INSERT INTO identifiers VALUES (249, 35, 'iban', 0, 'NL87 SNSB 8250 3029 40');
INSERT INTO identifiers VALUES (250, 36, 'full_name', 0, 'Sanne BOS');
INSERT INTO identifiers VALUES (251, 36, 'date_of_birth', 0, '1989-08-09');
INSERT INTO identifiers VALUES (252, 36, 'nationality', 0, 'NL');
INSERT INTO identifiers VALUES (253, 36, 'document_number', 0, 'sw1695zp3');
INSERT INTO identifiers VALUES (254, 36, 'email', 0, 'Bos.Sanne@Example.net');
INSERT INTO identifiers VALUES (255, 37, 'full_name', 0, 'Nabil Mansour');
INSERT INTO identifiers VALUES (256, 37, 'date_of_birth', 0, '1985-05-13');
INSERT INTO identifiers VALUES (257, 37, 'nationality', 0, 'FR');
INSERT INTO identifiers VALUES (258, 37, 'document_number', 0, '47FF-14511');
INSERT INTO identifiers VALUES (259, 37, 'document_country', 0, 'FR');
INSERT INTO identifiers VALUES (260, 37, 'phone', 0, '07 90 85 75 04');
INSERT INTO identifiers VALUES (261, 37, 'email', 0, 'nabilmansour93@example.org');
INSERT INTO identifiers VALUES (262, 37, 'iban', 0, 'FR7620815046726155001884497');
INSERT INTO identifiers VALUES (263, 38, 'full_name', 0, 'Thijs Brouwer');
INSERT INTO identifiers VALUES (264, 38, 'date_of_birth', 0, '2004-04-27');
INSERT INTO identifiers VALUES (265, 38, 'nationality', 0, 'NL');
INSERT INTO identifiers VALUES (266, 38, 'document_number', 0, 'YMLZ3VTF2');
INSERT INTO identifiers VALUES (267, 38, 'document_country', 0, 'NL');
INSERT INTO identifiers VALUES (268, 38, 'national_id', 0, '185303055');
INSERT INTO identifiers VALUES (269, 38, 'phone', 0, '+31634626373');
INSERT INTO identifiers VALUES (270, 38, 'email', 0, 'thijsbrouwer@example.net');
INSERT INTO identifiers VALUES (271, 38, 'email', 1, 'thijs.brouwer15@example.com');
INSERT INTO identifiers VALUES (272, 38, 'iban', 0, 'nl74asnb2057303773');
INSERT INTO identifiers VALUES (273, 39, 'full_name', 0, 'Leon Schmidt');
INSERT INTO identifiers VALUES (274, 39, 'date_of_birth', 0, '1998-01-18');
INSERT INTO identifiers VALUES (275, 39, 'nationality', 0, 'DE');
INSERT INTO identifiers VALUES (276, 39, 'document_number', 0, 'CFHFP7NZY');
INSERT INTO identifiers VALUES (277, 39, 'document_country', 0, 'DE');
INSERT INTO identifiers VALUES (278, 39, 'phone', 0, '+4915711930378');
INSERT INTO identifiers VALUES (279, 39, 'phone', 1, '015054 304447');
INSERT INTO identifiers VALUES (280, 39, 'email', 0, 'l.schmidt69@post.example');
INSERT INTO identifiers VALUES (281, 40, 'full_name', 0, 'ŞAHIN Ömer');
INSERT INTO identifiers VALUES (282, 40, 'date_of_birth', 0, '1965');
INSERT INTO identifiers VALUES (283, 40, 'nationality', 0, 'TR');
INSERT INTO identifiers VALUES (284, 40, 'document_number', 0, 'u501 95220');
INSERT INTO identifiers VALUES (285, 40, 'document_country', 0, 'TR');
INSERT INTO identifiers VALUES (286, 40, 'email', 0, 'Omer.Sahin67@Example.org');
INSERT INTO identifiers VALUES (287, 40, 'email', 1, 'SAHIN.OMER22@EXAMPLE.ORG');


--
-- Data for Name: key_epochs; Type: TABLE DATA; Schema: -; Owner: -
--



--
-- Data for Name: key_rotation_claims; Type: TABLE DATA; Schema: -; Owner: -
--



--
-- Data for Name: ledger_entries; Type: TABLE DATA; Schema: -; Owner: -
--

INSERT INTO ledger_entries VALUES (0, '2026-12-01 19:56:42.238407+00', 'served', '5ec946e3355e3bc8c10a2e94ad0358e7', 'FR', 'investigator@fr', 'CASE-2026-17', 'counter-terrorism', 'art. 12 of the test act', 14, 'watchlist:ok:epoch 0', '{"body":"eyJmaWVsZHMiOnsiY2FzZV9pZCI6IkNBU0UtMjAyNi0xNyIsImV4cGlyZXNfYXRfbXMiOjE3OTYxNTUzMDIwOTksImludmVzdGlnYXRvcl9pZCI6ImludmVzdGlnYXRvckBmciIsImlzc3VlZF9hdF9tcyI6MTc5NjE1NTAwMjA5OSwia2V5X2NvdW50IjoxNCwibGVnYWxfYmFzaXMiOiJhcnQuIDEyIG9mIHRoZSB0ZXN0IGFjdCIsInBheWxvYWRfZGlnZXN0IjoiYzhiYzMzZmI1MDI2Mzk4OTU3ZGJiMmVlYjg3NWUwODE3Nzk4NDJhZGQ5YmY5ZDM3YmExNTJiZTNiYzhiNTNiZCIsInB1cnBvc2UiOiJjb3VudGVyLXRlcnJvcmlzbSIsInF1ZXJ5X2lkIjoiNWVjOTQ2ZTMzNTVlM2JjOGMxMGEyZTk0YWQwMzU4ZTciLCJyZXF1ZXN0aW5nX2FnZW5jeSI6IkZSIiwidGFyZ2V0cyI6WyJOTDoqIl19LCJraW5kIjoicXVlcnlfc3VibWl0dGVkIiwidGltZV9tcyI6MTc5NjE1NTAwMjEyNiwidiI6MX0=","entry_index":3,"header":"eyJjb21taXRtZW50IjoiY2EwOTVjODhiYmJlMTZjOGIyOGExYTJmODcxNTdiNjM2NWQ3M2U4ZTA3Yzc4YTlhNmY0MTMwYjY0ZWFiODJjYyIsImtpbmQiOiJxdWVyeV9zdWJtaXR0ZWQiLCJ0aW1lX21zIjoxNzk2MTU1MDAyMTI2LCJ2IjoxfQ==","inclusion_proof":["1324b1f0979e96759ecca0be52ba777aeb3fbef76be0ae047f1ac193f14f411b","491784379a1ff8e16ef0eb3d556dc4bda41dc4f2ae95ae30a33f284cc700b04d"],"salt":"e25f26970f8f3d1c0de12639581f86187912820e3ac2ac5d499131af66289510","tree_head":{"root":"f10007a7fabf5f88c114d73f074d91159f41c71ba115020a4049495bcaa29cab","signature":"0XQKk2OIoISAjCQT/eZYz3b3FhAlVnVlWgTevnIroADMiI2P3lDWrtXsTc1LxL1cjrB1dFiOVN2MmjgPFoXDCQ==","size":4,"timestamp_ms":1796155002154}}', '\x0000000000000000000000000000000000000000000000000000000000000000', '\x39a63ed0b8f2953eed1b3ff97078a7dbc26d807693aec113d61a769203e70849');


--
-- Data for Name: local_users; Type: TABLE DATA; Schema: -; Owner: -
--

INSERT INTO local_users VALUES ('investigator@nl', 'investigator', true, '2026-12-01 19:56:41.260783+00', 'scrypt$16384$8$1$Y3pdJyi7CvlfrYWrkD47RA==$nJdkQxuh3USUE/W4soZ33PUK5Hy7lJK9WhRpuHQmoUE=');


--
-- Data for Name: match_keys; Type: TABLE DATA; Schema: -; Owner: -
--

INSERT INTO match_keys VALUES (1, 1, 1, 'document', '1|document|FR|04MC51083', '2');
INSERT INTO match_keys VALUES (2, 1, 1, 'email', '1|email|rene.lemaitre@post.example', '2');
INSERT INTO match_keys VALUES (3, 1, 1, 'iban', '1|iban|FR7676092253057421722443226', '2');
INSERT INTO match_keys VALUES (4, 1, 1, 'name_dob', '1|name_dob|lemaitre rene|1981-06-11', '2');
INSERT INTO match_keys VALUES (5, 1, 1, 'name_dob', '2|name_date|lemaitre rene|1981-06-11', '2');
INSERT INTO match_keys VALUES (6, 1, 1, 'name_dob', '2|name_joined|renelemaitre|1981', '2');
INSERT INTO match_keys VALUES (7, 1, 1, 'name_dob', '2|name_month|lemaitre rene|1981-06', '2');
INSERT INTO match_keys VALUES (8, 1, 1, 'name_dob', '2|name_phonetic|l:LMTR r:RN|1981', '2');
INSERT INTO match_keys VALUES (9, 1, 1, 'name_dob', '2|name_swap|lemaitre rene|1981-06-11', '2');
INSERT INTO match_keys VALUES (10, 1, 1, 'name_dob', '2|name_typo|emaitre rene|1981', '2');
INSERT INTO match_keys VALUES (11, 1, 1, 'name_dob', '2|name_typo|ene lemaitre|1981', '2');
INSERT INTO match_keys VALUES (12, 1, 1, 'name_dob', '2|name_typo|leaitre rene|1981', '2');
INSERT INTO match_keys VALUES (13, 1, 1, 'name_dob', '2|name_typo|lemaire rene|1981', '2');
INSERT INTO match_keys VALUES (14, 1, 1, 'name_dob', '2|name_typo|lemaite rene|1981', '2');
INSERT INTO match_keys VALUES (15, 1, 1, 'name_dob', '2|name_typo|lemaitr rene|1981', '2');
INSERT INTO match_keys VALUES (16, 1, 1, 'name_dob', '2|name_typo|lemaitre ree|1981', '2');
INSERT INTO match_keys VALUES (17, 1, 1, 'name_dob', '2|name_typo|lemaitre rene|1981', '2');
INSERT INTO match_keys VALUES (18, 1, 1, 'name_dob', '2|name_typo|lemaitre ren|1981', '2');
INSERT INTO match_keys VALUES (19, 1, 1, 'name_dob', '2|name_typo|lemaitre rne|1981', '2');
INSERT INTO match_keys VALUES (20, 1, 1, 'name_dob', '2|name_typo|lematre rene|1981', '2');
INSERT INTO match_keys VALUES (21, 1, 1, 'name_dob', '2|name_typo|lemitre rene|1981', '2');
INSERT INTO match_keys VALUES (22, 1, 1, 'name_dob', '2|name_typo|lmaitre rene|1981', '2');
INSERT INTO match_keys VALUES (23, 1, 1, 'national_id', '1|national_id|FR|281068176224034', '2');
INSERT INTO match_keys VALUES (24, 1, 1, 'phone', '1|phone|+33789230829', '2');
INSERT INTO match_keys VALUES (25, 2, 1, 'email', '1|email|vandijk.mila59@post.example', '2');
INSERT INTO match_keys VALUES (26, 2, 1, 'iban', '1|iban|BE92735316592123', '2');
INSERT INTO match_keys VALUES (27, 2, 1, 'name_dob', '1|name_dob|dijk mila van|1968-02-11', '2');
INSERT INTO match_keys VALUES (28, 2, 1, 'name_dob', '2|name_date|dijk mila|1968-02-11', '2');
INSERT INTO match_keys VALUES (29, 2, 1, 'name_dob', '2|name_joined|dijkmila|1968', '2');
INSERT INTO match_keys VALUES (30, 2, 1, 'name_dob', '2|name_month|dijk mila|1968-02', '2');
INSERT INTO match_keys VALUES (31, 2, 1, 'name_dob', '2|name_phonetic|d:TJK m:ML|1968', '2');
INSERT INTO match_keys VALUES (32, 2, 1, 'name_dob', '2|name_swap|dijk mila|1968-02-11', '2');
INSERT INTO match_keys VALUES (33, 2, 1, 'name_dob', '2|name_typo|dij mila|1968', '2');
INSERT INTO match_keys VALUES (34, 2, 1, 'name_dob', '2|name_typo|dijk ila|1968', '2');
INSERT INTO match_keys VALUES (35, 2, 1, 'name_dob', '2|name_typo|dijk mia|1968', '2');
INSERT INTO match_keys VALUES (36, 2, 1, 'name_dob', '2|name_typo|dijk mila|1968', '2');
INSERT INTO match_keys VALUES (37, 2, 1, 'name_dob', '2|name_typo|dijk mil|1968', '2');
INSERT INTO match_keys VALUES (38, 2, 1, 'name_dob', '2|name_typo|dijk mla|1968', '2');
INSERT INTO match_keys VALUES (39, 2, 1, 'name_dob', '2|name_typo|dik mila|1968', '2');
INSERT INTO match_keys VALUES (40, 2, 1, 'name_dob', '2|name_typo|djk mila|1968', '2');
INSERT INTO match_keys VALUES (41, 2, 1, 'name_dob', '2|name_typo|ijk mila|1968', '2');
INSERT INTO match_keys VALUES (42, 2, 1, 'phone', '1|phone|+32461544489', '2');
INSERT INTO match_keys VALUES (43, 3, 1, 'document', '1|document|DE|CZ5W29VVJ', '2');
INSERT INTO match_keys VALUES (44, 3, 1, 'iban', '1|iban|DE22764132833603396177', '2');
INSERT INTO match_keys VALUES (45, 3, 1, 'name_dob', '1|name_dob|hannah lange|1999-10-05', '2');
INSERT INTO match_keys VALUES (46, 3, 1, 'name_dob', '2|name_date|hannah lange|1999-10-05', '2');
INSERT INTO match_keys VALUES (47, 3, 1, 'name_dob', '2|name_joined|hannahlange|1999', '2');
INSERT INTO match_keys VALUES (48, 3, 1, 'name_dob', '2|name_month|hannah lange|1999-10', '2');
INSERT INTO match_keys VALUES (49, 3, 1, 'name_dob', '2|name_phonetic|h:HN l:LNJ|1999', '2');
INSERT INTO match_keys VALUES (50, 3, 1, 'name_dob', '2|name_swap|hannah lange|1999-05-10', '2');
INSERT INTO match_keys VALUES (51, 3, 1, 'name_dob', '2|name_typo|ange hannah|1999', '2');
INSERT INTO match_keys VALUES (52, 3, 1, 'name_dob', '2|name_typo|annah lange|1999', '2');
INSERT INTO match_keys VALUES (53, 3, 1, 'name_dob', '2|name_typo|hanah lange|1999', '2');
INSERT INTO match_keys VALUES (54, 3, 1, 'name_dob', '2|name_typo|hanna lange|1999', '2');
INSERT INTO match_keys VALUES (55, 3, 1, 'name_dob', '2|name_typo|hannah lage|1999', '2');
INSERT INTO match_keys VALUES (56, 3, 1, 'name_dob', '2|name_typo|hannah lane|1999', '2');
INSERT INTO match_keys VALUES (57, 3, 1, 'name_dob', '2|name_typo|hannah lange|1999', '2');
INSERT INTO match_keys VALUES (58, 3, 1, 'name_dob', '2|name_typo|hannah lang|1999', '2');
INSERT INTO match_keys VALUES (59, 3, 1, 'name_dob', '2|name_typo|hannah lnge|1999', '2');
INSERT INTO match_keys VALUES (60, 3, 1, 'name_dob', '2|name_typo|hannh lange|1999', '2');
INSERT INTO match_keys VALUES (61, 3, 1, 'name_dob', '2|name_typo|hnnah lange|1999', '2');
INSERT INTO match_keys VALUES (62, 3, 1, 'phone', '1|phone|+4915259996264', '2');
INSERT INTO match_keys VALUES (63, 4, 1, 'document', '1|document|FR|98GC37443', '2');
INSERT INTO match_keys VALUES (64, 4, 1, 'email', '1|email|agnes.riviere@mail.example', '2');
INSERT INTO match_keys VALUES (65, 4, 1, 'iban', '1|iban|FR7661992033905206059074720', '2');
INSERT INTO match_keys VALUES (66, 4, 1, 'name_dob', '1|name_dob|agnes riviere|1967-02-04', '2');
INSERT INTO match_keys VALUES (67, 4, 1, 'name_dob', '2|name_date|agnes riviere|1967-02-04', '2');
INSERT INTO match_keys VALUES (68, 4, 1, 'name_dob', '2|name_joined|riviereagnes|1967', '2');
INSERT INTO match_keys VALUES (69, 4, 1, 'name_dob', '2|name_month|agnes riviere|1967-02', '2');
INSERT INTO match_keys VALUES (70, 4, 1, 'name_dob', '2|name_phonetic|g:KNS r:RFR|1967', '2');
INSERT INTO match_keys VALUES (71, 4, 1, 'name_dob', '2|name_swap|agnes riviere|1967-02-04', '2');
INSERT INTO match_keys VALUES (72, 4, 1, 'name_dob', '2|name_typo|ages riviere|1967', '2');
INSERT INTO match_keys VALUES (73, 4, 1, 'name_dob', '2|name_typo|agne riviere|1967', '2');
INSERT INTO match_keys VALUES (74, 4, 1, 'name_dob', '2|name_typo|agnes iviere|1967', '2');
INSERT INTO match_keys VALUES (75, 4, 1, 'name_dob', '2|name_typo|agnes riiere|1967', '2');
INSERT INTO match_keys VALUES (76, 4, 1, 'name_dob', '2|name_typo|agnes rivere|1967', '2');
INSERT INTO match_keys VALUES (77, 4, 1, 'name_dob', '2|name_typo|agnes riviee|1967', '2');
INSERT INTO match_keys VALUES (78, 4, 1, 'name_dob', '2|name_typo|agnes riviere|1967', '2');
INSERT INTO match_keys VALUES (79, 4, 1, 'name_dob', '2|name_typo|agnes rivier|1967', '2');
INSERT INTO match_keys VALUES (80, 4, 1, 'name_dob', '2|name_typo|agnes rivire|1967', '2');
INSERT INTO match_keys VALUES (81, 4, 1, 'name_dob', '2|name_typo|agnes rviere|1967', '2');
INSERT INTO match_keys VALUES (82, 4, 1, 'name_dob', '2|name_typo|agns riviere|1967', '2');
INSERT INTO match_keys VALUES (83, 4, 1, 'name_dob', '2|name_typo|anes riviere|1967', '2');
INSERT INTO match_keys VALUES (84, 4, 1, 'name_dob', '2|name_typo|gnes riviere|1967', '2');
INSERT INTO match_keys VALUES (85, 4, 1, 'phone', '1|phone|+33643582384', '2');
INSERT INTO match_keys VALUES (86, 5, 1, 'document', '1|document|NL|VRXT1HMG7', '2');
INSERT INTO match_keys VALUES (87, 5, 1, 'email', '1|email|k.rahmani@post.example', '2');
INSERT INTO match_keys VALUES (88, 5, 1, 'iban', '1|iban|NL88RABO8062271326', '2');
INSERT INTO match_keys VALUES (89, 5, 1, 'name_dob', '2|name_joined|karimrahmani|1966', '2');
INSERT INTO match_keys VALUES (90, 5, 1, 'name_dob', '2|name_phonetic|k:KRM r:RMN|1966', '2');
INSERT INTO match_keys VALUES (91, 5, 1, 'name_dob', '2|name_typo|ahmani karim|1966', '2');
INSERT INTO match_keys VALUES (92, 5, 1, 'name_dob', '2|name_typo|arim rahmani|1966', '2');
INSERT INTO match_keys VALUES (93, 5, 1, 'name_dob', '2|name_typo|kaim rahmani|1966', '2');
INSERT INTO match_keys VALUES (94, 5, 1, 'name_dob', '2|name_typo|kari rahmani|1966', '2');
INSERT INTO match_keys VALUES (95, 5, 1, 'name_dob', '2|name_typo|karim rahani|1966', '2');
INSERT INTO match_keys VALUES (96, 5, 1, 'name_dob', '2|name_typo|karim rahmai|1966', '2');
INSERT INTO match_keys VALUES (97, 5, 1, 'name_dob', '2|name_typo|karim rahmani|1966', '2');
INSERT INTO match_keys VALUES (98, 5, 1, 'name_dob', '2|name_typo|karim rahman|1966', '2');
INSERT INTO match_keys VALUES (99, 5, 1, 'name_dob', '2|name_typo|karim rahmni|1966', '2');
INSERT INTO match_keys VALUES (100, 5, 1, 'name_dob', '2|name_typo|karim ramani|1966', '2');
INSERT INTO match_keys VALUES (101, 5, 1, 'name_dob', '2|name_typo|karim rhmani|1966', '2');
INSERT INTO match_keys VALUES (102, 5, 1, 'name_dob', '2|name_typo|karm rahmani|1966', '2');
INSERT INTO match_keys VALUES (103, 5, 1, 'name_dob', '2|name_typo|krim rahmani|1966', '2');
INSERT INTO match_keys VALUES (104, 5, 1, 'phone', '1|phone|+31652125279', '2');
INSERT INTO match_keys VALUES (105, 6, 1, 'document', '1|document|ES|TYJ962493', '2');
INSERT INTO match_keys VALUES (106, 6, 1, 'email', '1|email|luciajimenezruiz10@example.org', '2');
INSERT INTO match_keys VALUES (107, 6, 1, 'name_dob', '1|name_dob|jimenez lucia ruiz|1995-11-30', '2');
INSERT INTO match_keys VALUES (108, 6, 1, 'name_dob', '2|name_date|jimenez lucia ruiz|1995-11-30', '2');
INSERT INTO match_keys VALUES (109, 6, 1, 'name_dob', '2|name_joined|luciajimenezruiz|1995', '2');
INSERT INTO match_keys VALUES (110, 6, 1, 'name_dob', '2|name_month|jimenez lucia ruiz|1995-11', '2');
INSERT INTO match_keys VALUES (111, 6, 1, 'name_dob', '2|name_phonetic|j:JMNS l:LX r:RS|1995', '2');
INSERT INTO match_keys VALUES (112, 6, 1, 'name_dob', '2|name_typo|imenez lucia ruiz|1995', '2');
INSERT INTO match_keys VALUES (113, 6, 1, 'name_dob', '2|name_typo|jienez lucia ruiz|1995', '2');
INSERT INTO match_keys VALUES (114, 6, 1, 'name_dob', '2|name_typo|jimeez lucia ruiz|1995', '2');
INSERT INTO match_keys VALUES (115, 6, 1, 'name_dob', '2|name_typo|jimene lucia ruiz|1995', '2');
INSERT INTO match_keys VALUES (116, 6, 1, 'name_dob', '2|name_typo|jimenez lcia ruiz|1995', '2');
INSERT INTO match_keys VALUES (117, 6, 1, 'name_dob', '2|name_typo|jimenez luca ruiz|1995', '2');
INSERT INTO match_keys VALUES (118, 6, 1, 'name_dob', '2|name_typo|jimenez luci ruiz|1995', '2');
INSERT INTO match_keys VALUES (119, 6, 1, 'name_dob', '2|name_typo|jimenez lucia riz|1995', '2');
INSERT INTO match_keys VALUES (120, 6, 1, 'name_dob', '2|name_typo|jimenez lucia ruiz|1995', '2');
INSERT INTO match_keys VALUES (121, 6, 1, 'name_dob', '2|name_typo|jimenez lucia rui|1995', '2');
INSERT INTO match_keys VALUES (122, 6, 1, 'name_dob', '2|name_typo|jimenez lucia ruz|1995', '2');
INSERT INTO match_keys VALUES (123, 6, 1, 'name_dob', '2|name_typo|jimenez lucia uiz|1995', '2');
INSERT INTO match_keys VALUES (124, 6, 1, 'name_dob', '2|name_typo|jimenez luia ruiz|1995', '2');
INSERT INTO match_keys VALUES (125, 6, 1, 'name_dob', '2|name_typo|jimenez ruiz ucia|1995', '2');
INSERT INTO match_keys VALUES (126, 6, 1, 'name_dob', '2|name_typo|jimenz lucia ruiz|1995', '2');
INSERT INTO match_keys VALUES (127, 6, 1, 'name_dob', '2|name_typo|jimnez lucia ruiz|1995', '2');
INSERT INTO match_keys VALUES (128, 6, 1, 'name_dob', '2|name_typo|jmenez lucia ruiz|1995', '2');
INSERT INTO match_keys VALUES (129, 6, 1, 'national_id', '1|national_id|ES|56174139C', '2');
INSERT INTO match_keys VALUES (130, 6, 1, 'phone', '1|phone|+34732425002', '2');
INSERT INTO match_keys VALUES (131, 7, 1, 'document', '1|document|DE|C133JKRLH', '2');
INSERT INTO match_keys VALUES (132, 7, 1, 'email', '1|email|huseyinyildiz@example.net', '2');
INSERT INTO match_keys VALUES (133, 7, 1, 'iban', '1|iban|DE16868963617100070183', '2');
INSERT INTO match_keys VALUES (134, 7, 1, 'name_dob', '2|name_joined|huseyinyildiz|1951', '2');
INSERT INTO match_keys VALUES (135, 7, 1, 'name_dob', '2|name_month|huseyin yildiz|1951-06', '2');
INSERT INTO match_keys VALUES (136, 7, 1, 'name_dob', '2|name_phonetic|h:HSYN l:YLTS|1951', '2');
INSERT INTO match_keys VALUES (137, 7, 1, 'name_dob', '2|name_typo|hseyin yildiz|1951', '2');
INSERT INTO match_keys VALUES (138, 7, 1, 'name_dob', '2|name_typo|hueyin yildiz|1951', '2');
INSERT INTO match_keys VALUES (139, 7, 1, 'name_dob', '2|name_typo|husein yildiz|1951', '2');
INSERT INTO match_keys VALUES (140, 7, 1, 'name_dob', '2|name_typo|huseyi yildiz|1951', '2');
INSERT INTO match_keys VALUES (141, 7, 1, 'name_dob', '2|name_typo|huseyin ildiz|1951', '2');
INSERT INTO match_keys VALUES (142, 7, 1, 'name_dob', '2|name_typo|huseyin yidiz|1951', '2');
INSERT INTO match_keys VALUES (143, 7, 1, 'name_dob', '2|name_typo|huseyin yildiz|1951', '2');
INSERT INTO match_keys VALUES (144, 7, 1, 'name_dob', '2|name_typo|huseyin yildi|1951', '2');
INSERT INTO match_keys VALUES (145, 7, 1, 'name_dob', '2|name_typo|huseyin yildz|1951', '2');
INSERT INTO match_keys VALUES (146, 7, 1, 'name_dob', '2|name_typo|huseyin yiliz|1951', '2');
INSERT INTO match_keys VALUES (147, 7, 1, 'name_dob', '2|name_typo|huseyin yldiz|1951', '2');
INSERT INTO match_keys VALUES (148, 7, 1, 'name_dob', '2|name_typo|huseyn yildiz|1951', '2');
INSERT INTO match_keys VALUES (149, 7, 1, 'name_dob', '2|name_typo|husyin yildiz|1951', '2');
INSERT INTO match_keys VALUES (150, 7, 1, 'name_dob', '2|name_typo|useyin yildiz|1951', '2');
INSERT INTO match_keys VALUES (151, 7, 1, 'phone', '1|phone|+4915227160217', '2');
INSERT INTO match_keys VALUES (152, 8, 1, 'document', '1|document|DE|CFXN6V41P', '2');
INSERT INTO match_keys VALUES (153, 8, 1, 'iban', '1|iban|DE98245372435871506162', '2');
INSERT INTO match_keys VALUES (154, 8, 1, 'name_dob', '1|name_dob|anna fischer|1974-10-25', '2');
INSERT INTO match_keys VALUES (155, 8, 1, 'name_dob', '2|name_date|anna fischer|1974-10-25', '2');
INSERT INTO match_keys VALUES (156, 8, 1, 'name_dob', '2|name_joined|fischeranna|1974', '2');
INSERT INTO match_keys VALUES (157, 8, 1, 'name_dob', '2|name_month|anna fischer|1974-10', '2');
INSERT INTO match_keys VALUES (158, 8, 1, 'name_dob', '2|name_phonetic|f:FSXR n:N|1974', '2');
INSERT INTO match_keys VALUES (159, 8, 1, 'name_dob', '2|name_typo|ana fischer|1974', '2');
INSERT INTO match_keys VALUES (160, 8, 1, 'name_dob', '2|name_typo|ann fischer|1974', '2');
INSERT INTO match_keys VALUES (161, 8, 1, 'name_dob', '2|name_typo|anna ficher|1974', '2');
INSERT INTO match_keys VALUES (162, 8, 1, 'name_dob', '2|name_typo|anna fiscer|1974', '2');
INSERT INTO match_keys VALUES (163, 8, 1, 'name_dob', '2|name_typo|anna fischer|1974', '2');
INSERT INTO match_keys VALUES (164, 8, 1, 'name_dob', '2|name_typo|anna fische|1974', '2');
INSERT INTO match_keys VALUES (165, 8, 1, 'name_dob', '2|name_typo|anna fischr|1974', '2');
INSERT INTO match_keys VALUES (166, 8, 1, 'name_dob', '2|name_typo|anna fisher|1974', '2');
INSERT INTO match_keys VALUES (167, 8, 1, 'name_dob', '2|name_typo|anna fscher|1974', '2');
INSERT INTO match_keys VALUES (168, 8, 1, 'name_dob', '2|name_typo|anna ischer|1974', '2');
INSERT INTO match_keys VALUES (169, 8, 1, 'name_dob', '2|name_typo|fischer nna|1974', '2');
INSERT INTO match_keys VALUES (170, 8, 1, 'phone', '1|phone|+4915074009760', '2');
INSERT INTO match_keys VALUES (171, 8, 1, 'phone', '1|phone|+4915156931358', '2');
INSERT INTO match_keys VALUES (172, 9, 1, 'document', '1|document|FR|06TC35864', '2');
INSERT INTO match_keys VALUES (173, 9, 1, 'email', '1|email|h.qasim@example.com', '2');
INSERT INTO match_keys VALUES (174, 9, 1, 'name_dob', '1|name_dob|hussein qasim|1995-07-12', '2');
INSERT INTO match_keys VALUES (175, 9, 1, 'name_dob', '2|name_date|hussein qasim|1995-07-12', '2');
INSERT INTO match_keys VALUES (176, 9, 1, 'name_dob', '2|name_joined|husseinqasim|1995', '2');
INSERT INTO match_keys VALUES (177, 9, 1, 'name_dob', '2|name_month|hussein qasim|1995-07', '2');
INSERT INTO match_keys VALUES (178, 9, 1, 'name_dob', '2|name_phonetic|h:HSN q:KSM|1995', '2');
INSERT INTO match_keys VALUES (179, 9, 1, 'name_dob', '2|name_swap|hussein qasim|1995-07-12', '2');
INSERT INTO match_keys VALUES (180, 9, 1, 'name_dob', '2|name_typo|asim hussein|1995', '2');
INSERT INTO match_keys VALUES (181, 9, 1, 'name_dob', '2|name_typo|hssein qasim|1995', '2');
INSERT INTO match_keys VALUES (182, 9, 1, 'name_dob', '2|name_typo|husein qasim|1995', '2');
INSERT INTO match_keys VALUES (183, 9, 1, 'name_dob', '2|name_typo|hussei qasim|1995', '2');
INSERT INTO match_keys VALUES (184, 9, 1, 'name_dob', '2|name_typo|hussein qaim|1995', '2');
INSERT INTO match_keys VALUES (185, 9, 1, 'name_dob', '2|name_typo|hussein qasim|1995', '2');
INSERT INTO match_keys VALUES (186, 9, 1, 'name_dob', '2|name_typo|hussein qasi|1995', '2');
INSERT INTO match_keys VALUES (187, 9, 1, 'name_dob', '2|name_typo|hussein qasm|1995', '2');
INSERT INTO match_keys VALUES (188, 9, 1, 'name_dob', '2|name_typo|hussein qsim|1995', '2');
INSERT INTO match_keys VALUES (189, 9, 1, 'name_dob', '2|name_typo|hussen qasim|1995', '2');
INSERT INTO match_keys VALUES (190, 9, 1, 'name_dob', '2|name_typo|hussin qasim|1995', '2');
INSERT INTO match_keys VALUES (191, 9, 1, 'name_dob', '2|name_typo|qasim ussein|1995', '2');
INSERT INTO match_keys VALUES (192, 9, 1, 'phone', '1|phone|+33624759756', '2');
INSERT INTO match_keys VALUES (193, 9, 1, 'phone', '1|phone|+33663972492', '2');
INSERT INTO match_keys VALUES (194, 10, 1, 'document', '1|document|DE|CRKJ2WHH5', '2');
INSERT INTO match_keys VALUES (195, 10, 1, 'iban', '1|iban|DE43424213034638792849', '2');
INSERT INTO match_keys VALUES (196, 10, 1, 'name_dob', '2|name_joined|weissleon|1968', '2');
INSERT INTO match_keys VALUES (197, 10, 1, 'name_dob', '2|name_phonetic|l:LN s:WS|1968', '2');
INSERT INTO match_keys VALUES (198, 10, 1, 'name_dob', '2|name_typo|eiss leon|1968', '2');
INSERT INTO match_keys VALUES (199, 10, 1, 'name_dob', '2|name_typo|eon weiss|1968', '2');
INSERT INTO match_keys VALUES (200, 10, 1, 'name_dob', '2|name_typo|len weiss|1968', '2');
INSERT INTO match_keys VALUES (201, 10, 1, 'name_dob', '2|name_typo|leo weiss|1968', '2');
INSERT INTO match_keys VALUES (202, 10, 1, 'name_dob', '2|name_typo|leon weiss|1968', '2');
INSERT INTO match_keys VALUES (203, 10, 1, 'name_dob', '2|name_typo|leon weis|1968', '2');
INSERT INTO match_keys VALUES (204, 10, 1, 'name_dob', '2|name_typo|leon wess|1968', '2');
INSERT INTO match_keys VALUES (205, 10, 1, 'name_dob', '2|name_typo|leon wiss|1968', '2');
INSERT INTO match_keys VALUES (206, 10, 1, 'name_dob', '2|name_typo|lon weiss|1968', '2');
INSERT INTO match_keys VALUES (207, 10, 1, 'wallet', '1|wallet|bc1qqrmcmv3rw20ch9697gmnkeg64zrem6zymvj4zf', '2');
INSERT INTO match_keys VALUES (208, 11, 1, 'document', '1|document|BE|YK232377', '2');
INSERT INTO match_keys VALUES (209, 11, 1, 'iban', '1|iban|BE51751913994462', '2');
INSERT INTO match_keys VALUES (210, 11, 1, 'name_dob', '1|name_dob|karim rahmani|2001-05-13', '2');
INSERT INTO match_keys VALUES (211, 11, 1, 'name_dob', '2|name_date|karim rahmani|2001-05-13', '2');
INSERT INTO match_keys VALUES (212, 11, 1, 'name_dob', '2|name_joined|karimrahmani|2001', '2');
INSERT INTO match_keys VALUES (213, 11, 1, 'name_dob', '2|name_month|karim rahmani|2001-05', '2');
INSERT INTO match_keys VALUES (214, 11, 1, 'name_dob', '2|name_phonetic|k:KRM r:RMN|2001', '2');
INSERT INTO match_keys VALUES (215, 11, 1, 'name_dob', '2|name_typo|ahmani karim|2001', '2');
INSERT INTO match_keys VALUES (216, 11, 1, 'name_dob', '2|name_typo|arim rahmani|2001', '2');
INSERT INTO match_keys VALUES (217, 11, 1, 'name_dob', '2|name_typo|kaim rahmani|2001', '2');
INSERT INTO match_keys VALUES (218, 11, 1, 'name_dob', '2|name_typo|kari rahmani|2001', '2');
INSERT INTO match_keys VALUES (219, 11, 1, 'name_dob', '2|name_typo|karim rahani|2001', '2');
INSERT INTO match_keys VALUES (220, 11, 1, 'name_dob', '2|name_typo|karim rahmai|2001', '2');
INSERT INTO match_keys VALUES (221, 11, 1, 'name_dob', '2|name_typo|karim rahmani|2001', '2');
INSERT INTO match_keys VALUES (222, 11, 1, 'name_dob', '2|name_typo|karim rahman|2001', '2');
INSERT INTO match_keys VALUES (223, 11, 1, 'name_dob', '2|name_typo|karim rahmni|2001', '2');
INSERT INTO match_keys VALUES (224, 11, 1, 'name_dob', '2|name_typo|karim ramani|2001', '2');
INSERT INTO match_keys VALUES (225, 11, 1, 'name_dob', '2|name_typo|karim rhmani|2001', '2');
INSERT INTO match_keys VALUES (226, 11, 1, 'name_dob', '2|name_typo|karm rahmani|2001', '2');
INSERT INTO match_keys VALUES (227, 11, 1, 'name_dob', '2|name_typo|krim rahmani|2001', '2');
INSERT INTO match_keys VALUES (228, 11, 1, 'national_id', '1|national_id|BE|01051382831', '2');
INSERT INTO match_keys VALUES (229, 11, 1, 'phone', '1|phone|+32468574573', '2');
INSERT INTO match_keys VALUES (230, 12, 1, 'document', '1|document|DE|CN13NW6TY', '2');
INSERT INTO match_keys VALUES (231, 12, 1, 'iban', '1|iban|DE73186176057095907406', '2');
INSERT INTO match_keys VALUES (232, 12, 1, 'name_dob', '1|name_dob|ursula wolf|1983-12-09', '2');
INSERT INTO match_keys VALUES (233, 12, 1, 'name_dob', '2|name_date|ursula wolf|1983-12-09', '2');
INSERT INTO match_keys VALUES (234, 12, 1, 'name_dob', '2|name_joined|ursulawolf|1983', '2');
INSERT INTO match_keys VALUES (235, 12, 1, 'name_dob', '2|name_month|ursula wolf|1983-12', '2');
INSERT INTO match_keys VALUES (236, 12, 1, 'name_dob', '2|name_phonetic|l:WLF r:RSL|1983', '2');
INSERT INTO match_keys VALUES (237, 12, 1, 'name_dob', '2|name_swap|ursula wolf|1983-09-12', '2');
INSERT INTO match_keys VALUES (238, 12, 1, 'name_dob', '2|name_typo|olf ursula|1983', '2');
INSERT INTO match_keys VALUES (239, 12, 1, 'name_dob', '2|name_typo|rsula wolf|1983', '2');
INSERT INTO match_keys VALUES (240, 12, 1, 'name_dob', '2|name_typo|ursla wolf|1983', '2');
INSERT INTO match_keys VALUES (241, 12, 1, 'name_dob', '2|name_typo|ursua wolf|1983', '2');
INSERT INTO match_keys VALUES (242, 12, 1, 'name_dob', '2|name_typo|ursul wolf|1983', '2');
INSERT INTO match_keys VALUES (243, 12, 1, 'name_dob', '2|name_typo|ursula wlf|1983', '2');
INSERT INTO match_keys VALUES (244, 12, 1, 'name_dob', '2|name_typo|ursula wof|1983', '2');
INSERT INTO match_keys VALUES (245, 12, 1, 'name_dob', '2|name_typo|ursula wolf|1983', '2');
INSERT INTO match_keys VALUES (246, 12, 1, 'name_dob', '2|name_typo|ursula wol|1983', '2');
INSERT INTO match_keys VALUES (247, 12, 1, 'name_dob', '2|name_typo|urula wolf|1983', '2');
INSERT INTO match_keys VALUES (248, 12, 1, 'name_dob', '2|name_typo|usula wolf|1983', '2');
INSERT INTO match_keys VALUES (249, 12, 1, 'phone', '1|phone|+4915723679221', '2');
INSERT INTO match_keys VALUES (250, 12, 1, 'phone', '1|phone|+4915913608938', '2');
INSERT INTO match_keys VALUES (251, 13, 1, 'document', '1|document|ES|RWU091767', '2');
INSERT INTO match_keys VALUES (252, 13, 1, 'email', '1|email|carmen.garciasanchez@mail.example', '2');
INSERT INTO match_keys VALUES (253, 13, 1, 'iban', '1|iban|ES8482138503175344283046', '2');
INSERT INTO match_keys VALUES (254, 13, 1, 'name_dob', '1|name_dob|carmen garcia sanchez|1998-12-21', '2');
INSERT INTO match_keys VALUES (255, 13, 1, 'name_dob', '2|name_date|carmen garcia sanchez|1998-12-21', '2');
INSERT INTO match_keys VALUES (256, 13, 1, 'name_dob', '2|name_joined|carmengarciasanchez|1998', '2');
INSERT INTO match_keys VALUES (257, 13, 1, 'name_dob', '2|name_month|carmen garcia sanchez|1998-12', '2');
INSERT INTO match_keys VALUES (258, 13, 1, 'name_dob', '2|name_phonetic|c:KRMN g:KRX s:SNXS|1998', '2');
INSERT INTO match_keys VALUES (259, 13, 1, 'name_dob', '2|name_typo|anchez carmen garcia|1998', '2');
INSERT INTO match_keys VALUES (260, 13, 1, 'name_dob', '2|name_typo|arcia carmen sanchez|1998', '2');
INSERT INTO match_keys VALUES (261, 13, 1, 'name_dob', '2|name_typo|armen garcia sanchez|1998', '2');
INSERT INTO match_keys VALUES (262, 13, 1, 'name_dob', '2|name_typo|camen garcia sanchez|1998', '2');
INSERT INTO match_keys VALUES (263, 13, 1, 'name_dob', '2|name_typo|caren garcia sanchez|1998', '2');
INSERT INTO match_keys VALUES (264, 13, 1, 'name_dob', '2|name_typo|carme garcia sanchez|1998', '2');
INSERT INTO match_keys VALUES (265, 13, 1, 'name_dob', '2|name_typo|carmen gacia sanchez|1998', '2');
INSERT INTO match_keys VALUES (266, 13, 1, 'name_dob', '2|name_typo|carmen garca sanchez|1998', '2');
INSERT INTO match_keys VALUES (267, 13, 1, 'name_dob', '2|name_typo|carmen garci sanchez|1998', '2');
INSERT INTO match_keys VALUES (268, 13, 1, 'name_dob', '2|name_typo|carmen garcia sachez|1998', '2');
INSERT INTO match_keys VALUES (269, 13, 1, 'name_dob', '2|name_typo|carmen garcia sancez|1998', '2');
INSERT INTO match_keys VALUES (270, 13, 1, 'name_dob', '2|name_typo|carmen garcia sanchez|1998', '2');
INSERT INTO match_keys VALUES (271, 13, 1, 'name_dob', '2|name_typo|carmen garcia sanche|1998', '2');
INSERT INTO match_keys VALUES (272, 13, 1, 'name_dob', '2|name_typo|carmen garcia sanchz|1998', '2');
INSERT INTO match_keys VALUES (273, 13, 1, 'name_dob', '2|name_typo|carmen garcia sanhez|1998', '2');
INSERT INTO match_keys VALUES (274, 13, 1, 'name_dob', '2|name_typo|carmen garcia snchez|1998', '2');
INSERT INTO match_keys VALUES (275, 13, 1, 'name_dob', '2|name_typo|carmen garia sanchez|1998', '2');
INSERT INTO match_keys VALUES (276, 13, 1, 'name_dob', '2|name_typo|carmen grcia sanchez|1998', '2');
INSERT INTO match_keys VALUES (277, 13, 1, 'name_dob', '2|name_typo|carmn garcia sanchez|1998', '2');
INSERT INTO match_keys VALUES (278, 13, 1, 'name_dob', '2|name_typo|crmen garcia sanchez|1998', '2');
INSERT INTO match_keys VALUES (279, 13, 1, 'phone', '1|phone|+34698299187', '2');
INSERT INTO match_keys VALUES (280, 13, 1, 'phone', '1|phone|+34781371964', '2');
INSERT INTO match_keys VALUES (281, 14, 1, 'document', '1|document|NL|RT1MVJG24', '2');
INSERT INTO match_keys VALUES (282, 14, 1, 'name_dob', '1|name_dob|belkacem muhammad|1958-09-08', '2');
INSERT INTO match_keys VALUES (283, 14, 1, 'name_dob', '2|name_date|belkacem muhammad|1958-09-08', '2');
INSERT INTO match_keys VALUES (284, 14, 1, 'name_dob', '2|name_joined|muhammadbelkacem|1958', '2');
INSERT INTO match_keys VALUES (285, 14, 1, 'name_dob', '2|name_month|belkacem muhammad|1958-09', '2');
INSERT INTO match_keys VALUES (286, 14, 1, 'name_dob', '2|name_phonetic|b:BLKSM m:MHMT|1958', '2');
INSERT INTO match_keys VALUES (287, 14, 1, 'name_dob', '2|name_swap|belkacem muhammad|1958-08-09', '2');
INSERT INTO match_keys VALUES (288, 14, 1, 'name_dob', '2|name_typo|bekacem muhammad|1958', '2');
INSERT INTO match_keys VALUES (289, 14, 1, 'name_dob', '2|name_typo|belacem muhammad|1958', '2');
INSERT INTO match_keys VALUES (290, 14, 1, 'name_dob', '2|name_typo|belkace muhammad|1958', '2');
INSERT INTO match_keys VALUES (291, 14, 1, 'name_dob', '2|name_typo|belkacem mhammad|1958', '2');
INSERT INTO match_keys VALUES (292, 14, 1, 'name_dob', '2|name_typo|belkacem muammad|1958', '2');
INSERT INTO match_keys VALUES (293, 14, 1, 'name_dob', '2|name_typo|belkacem muhamad|1958', '2');
INSERT INTO match_keys VALUES (294, 14, 1, 'name_dob', '2|name_typo|belkacem muhammad|1958', '2');
INSERT INTO match_keys VALUES (295, 14, 1, 'name_dob', '2|name_typo|belkacem muhamma|1958', '2');
INSERT INTO match_keys VALUES (296, 14, 1, 'name_dob', '2|name_typo|belkacem muhammd|1958', '2');
INSERT INTO match_keys VALUES (297, 14, 1, 'name_dob', '2|name_typo|belkacem muhmmad|1958', '2');
INSERT INTO match_keys VALUES (298, 14, 1, 'name_dob', '2|name_typo|belkacem uhammad|1958', '2');
INSERT INTO match_keys VALUES (299, 14, 1, 'name_dob', '2|name_typo|belkacm muhammad|1958', '2');
INSERT INTO match_keys VALUES (300, 14, 1, 'name_dob', '2|name_typo|belkaem muhammad|1958', '2');
INSERT INTO match_keys VALUES (301, 14, 1, 'name_dob', '2|name_typo|belkcem muhammad|1958', '2');
INSERT INTO match_keys VALUES (302, 14, 1, 'name_dob', '2|name_typo|blkacem muhammad|1958', '2');
INSERT INTO match_keys VALUES (303, 14, 1, 'name_dob', '2|name_typo|elkacem muhammad|1958', '2');
INSERT INTO match_keys VALUES (304, 14, 1, 'national_id', '1|national_id|NL|505665645', '2');
INSERT INTO match_keys VALUES (305, 14, 1, 'phone', '1|phone|+31684099800', '2');
INSERT INTO match_keys VALUES (306, 14, 1, 'phone', '1|phone|+4915915973980', '2');
INSERT INTO match_keys VALUES (307, 15, 1, 'document', '1|document|FR|86NX16911', '2');
INSERT INTO match_keys VALUES (308, 15, 1, 'email', '1|email|hasan.ozdemir62@post.example', '2');
INSERT INTO match_keys VALUES (309, 15, 1, 'iban', '1|iban|FR7686240408379255193582178', '2');
INSERT INTO match_keys VALUES (310, 15, 1, 'name_dob', '1|name_dob|hasan ozdemir|1961-12-13', '2');
INSERT INTO match_keys VALUES (311, 15, 1, 'name_dob', '2|name_date|hasan ozdemir|1961-12-13', '2');
INSERT INTO match_keys VALUES (312, 15, 1, 'name_dob', '2|name_joined|hasanozdemir|1961', '2');
INSERT INTO match_keys VALUES (313, 15, 1, 'name_dob', '2|name_month|hasan ozdemir|1961-12', '2');
INSERT INTO match_keys VALUES (314, 15, 1, 'name_dob', '2|name_phonetic|h:HSN z:STMR|1961', '2');
INSERT INTO match_keys VALUES (315, 15, 1, 'name_dob', '2|name_typo|asan ozdemir|1961', '2');
INSERT INTO match_keys VALUES (316, 15, 1, 'name_dob', '2|name_typo|haan ozdemir|1961', '2');
INSERT INTO match_keys VALUES (317, 15, 1, 'name_dob', '2|name_typo|hasa ozdemir|1961', '2');
INSERT INTO match_keys VALUES (318, 15, 1, 'name_dob', '2|name_typo|hasan odemir|1961', '2');
INSERT INTO match_keys VALUES (319, 15, 1, 'name_dob', '2|name_typo|hasan ozdeir|1961', '2');
INSERT INTO match_keys VALUES (320, 15, 1, 'name_dob', '2|name_typo|hasan ozdemir|1961', '2');
INSERT INTO match_keys VALUES (321, 15, 1, 'name_dob', '2|name_typo|hasan ozdemi|1961', '2');
INSERT INTO match_keys VALUES (322, 15, 1, 'name_dob', '2|name_typo|hasan ozdemr|1961', '2');
INSERT INTO match_keys VALUES (323, 15, 1, 'name_dob', '2|name_typo|hasan ozdmir|1961', '2');
INSERT INTO match_keys VALUES (324, 15, 1, 'name_dob', '2|name_typo|hasan ozemir|1961', '2');
INSERT INTO match_keys VALUES (325, 15, 1, 'name_dob', '2|name_typo|hasan zdemir|1961', '2');
INSERT INTO match_keys VALUES (326, 15, 1, 'name_dob', '2|name_typo|hasn ozdemir|1961', '2');
INSERT INTO match_keys VALUES (327, 15, 1, 'name_dob', '2|name_typo|hsan ozdemir|1961', '2');
INSERT INTO match_keys VALUES (328, 15, 1, 'national_id', '1|national_id|FR|161123918195792', '2');
INSERT INTO match_keys VALUES (329, 15, 1, 'phone', '1|phone|+33657895392', '2');
INSERT INTO match_keys VALUES (330, 16, 1, 'document', '1|document|FR|08ZB34613', '2');
INSERT INTO match_keys VALUES (331, 16, 1, 'email', '1|email|leclerc.sebastien41@example.org', '2');
INSERT INTO match_keys VALUES (332, 16, 1, 'name_dob', '1|name_dob|leclerc sebastien|1987-05-01', '2');
INSERT INTO match_keys VALUES (333, 16, 1, 'name_dob', '2|name_date|leclerc sebastien|1987-05-01', '2');
INSERT INTO match_keys VALUES (334, 16, 1, 'name_dob', '2|name_joined|leclercsebastien|1987', '2');
INSERT INTO match_keys VALUES (335, 16, 1, 'name_dob', '2|name_month|leclerc sebastien|1987-05', '2');
INSERT INTO match_keys VALUES (336, 16, 1, 'name_dob', '2|name_phonetic|l:LKLRK s:SBSTN|1987', '2');
INSERT INTO match_keys VALUES (337, 16, 1, 'name_dob', '2|name_swap|leclerc sebastien|1987-01-05', '2');
INSERT INTO match_keys VALUES (338, 16, 1, 'name_dob', '2|name_typo|ebastien leclerc|1987', '2');
INSERT INTO match_keys VALUES (339, 16, 1, 'name_dob', '2|name_typo|eclerc sebastien|1987', '2');
INSERT INTO match_keys VALUES (340, 16, 1, 'name_dob', '2|name_typo|lclerc sebastien|1987', '2');
INSERT INTO match_keys VALUES (341, 16, 1, 'name_dob', '2|name_typo|lecerc sebastien|1987', '2');
INSERT INTO match_keys VALUES (342, 16, 1, 'name_dob', '2|name_typo|leclec sebastien|1987', '2');
INSERT INTO match_keys VALUES (343, 16, 1, 'name_dob', '2|name_typo|lecler sebastien|1987', '2');
INSERT INTO match_keys VALUES (344, 16, 1, 'name_dob', '2|name_typo|leclerc sbastien|1987', '2');
INSERT INTO match_keys VALUES (345, 16, 1, 'name_dob', '2|name_typo|leclerc seastien|1987', '2');
INSERT INTO match_keys VALUES (346, 16, 1, 'name_dob', '2|name_typo|leclerc sebasien|1987', '2');
INSERT INTO match_keys VALUES (347, 16, 1, 'name_dob', '2|name_typo|leclerc sebasten|1987', '2');
INSERT INTO match_keys VALUES (348, 16, 1, 'name_dob', '2|name_typo|leclerc sebastien|1987', '2');
INSERT INTO match_keys VALUES (349, 16, 1, 'name_dob', '2|name_typo|leclerc sebastie|1987', '2');
INSERT INTO match_keys VALUES (350, 16, 1, 'name_dob', '2|name_typo|leclerc sebastin|1987', '2');
INSERT INTO match_keys VALUES (351, 16, 1, 'name_dob', '2|name_typo|leclerc sebatien|1987', '2');
INSERT INTO match_keys VALUES (352, 16, 1, 'name_dob', '2|name_typo|leclerc sebstien|1987', '2');
INSERT INTO match_keys VALUES (353, 16, 1, 'name_dob', '2|name_typo|leclrc sebastien|1987', '2');
INSERT INTO match_keys VALUES (354, 16, 1, 'name_dob', '2|name_typo|lelerc sebastien|1987', '2');
INSERT INTO match_keys VALUES (355, 16, 1, 'phone', '1|phone|+33785554271', '2');
INSERT INTO match_keys VALUES (356, 17, 1, 'document', '1|document|BE|YD016370', '2');
INSERT INTO match_keys VALUES (357, 17, 1, 'iban', '1|iban|BE10068759662904', '2');
INSERT INTO match_keys VALUES (358, 17, 1, 'name_dob', '1|name_dob|jansen joost|1950-04-16', '2');
INSERT INTO match_keys VALUES (359, 17, 1, 'name_dob', '2|name_date|jansen joost|1950-04-16', '2');
INSERT INTO match_keys VALUES (360, 17, 1, 'name_dob', '2|name_joined|jansenjoost|1950', '2');
INSERT INTO match_keys VALUES (361, 17, 1, 'name_dob', '2|name_month|jansen joost|1950-04', '2');
INSERT INTO match_keys VALUES (362, 17, 1, 'name_dob', '2|name_phonetic|j:JNSN j:JST|1950', '2');
INSERT INTO match_keys VALUES (363, 17, 1, 'name_dob', '2|name_typo|ansen joost|1950', '2');
INSERT INTO match_keys VALUES (364, 17, 1, 'name_dob', '2|name_typo|janen joost|1950', '2');
INSERT INTO match_keys VALUES (365, 17, 1, 'name_dob', '2|name_typo|janse joost|1950', '2');
INSERT INTO match_keys VALUES (366, 17, 1, 'name_dob', '2|name_typo|jansen joost|1950', '2');
INSERT INTO match_keys VALUES (367, 17, 1, 'name_dob', '2|name_typo|jansen joos|1950', '2');
INSERT INTO match_keys VALUES (368, 17, 1, 'name_dob', '2|name_typo|jansen joot|1950', '2');
INSERT INTO match_keys VALUES (369, 17, 1, 'name_dob', '2|name_typo|jansen jost|1950', '2');
INSERT INTO match_keys VALUES (370, 17, 1, 'name_dob', '2|name_typo|jansen oost|1950', '2');
INSERT INTO match_keys VALUES (371, 17, 1, 'name_dob', '2|name_typo|jansn joost|1950', '2');
INSERT INTO match_keys VALUES (372, 17, 1, 'name_dob', '2|name_typo|jasen joost|1950', '2');
INSERT INTO match_keys VALUES (373, 17, 1, 'name_dob', '2|name_typo|jnsen joost|1950', '2');
INSERT INTO match_keys VALUES (374, 18, 1, 'document', '1|document|NL|DZ75P3CL3', '2');
INSERT INTO match_keys VALUES (375, 18, 1, 'email', '1|email|semdejong92@example.com', '2');
INSERT INTO match_keys VALUES (376, 18, 1, 'name_dob', '1|name_dob|de jong sem|1954-12-20', '2');
INSERT INTO match_keys VALUES (377, 18, 1, 'name_dob', '2|name_date|jong sem|1954-12-20', '2');
INSERT INTO match_keys VALUES (378, 18, 1, 'name_dob', '2|name_joined|semjong|1954', '2');
INSERT INTO match_keys VALUES (379, 18, 1, 'name_dob', '2|name_month|jong sem|1954-12', '2');
INSERT INTO match_keys VALUES (380, 18, 1, 'name_dob', '2|name_phonetic|j:JNK s:SM|1954', '2');
INSERT INTO match_keys VALUES (381, 18, 1, 'name_dob', '2|name_typo|em jong|1954', '2');
INSERT INTO match_keys VALUES (382, 18, 1, 'name_dob', '2|name_typo|jng sem|1954', '2');
INSERT INTO match_keys VALUES (383, 18, 1, 'name_dob', '2|name_typo|jog sem|1954', '2');
INSERT INTO match_keys VALUES (384, 18, 1, 'name_dob', '2|name_typo|jon sem|1954', '2');
INSERT INTO match_keys VALUES (385, 18, 1, 'name_dob', '2|name_typo|jong sem|1954', '2');
INSERT INTO match_keys VALUES (386, 18, 1, 'name_dob', '2|name_typo|jong se|1954', '2');
INSERT INTO match_keys VALUES (387, 18, 1, 'name_dob', '2|name_typo|jong sm|1954', '2');
INSERT INTO match_keys VALUES (388, 18, 1, 'name_dob', '2|name_typo|ong sem|1954', '2');
INSERT INTO match_keys VALUES (389, 18, 1, 'phone', '1|phone|+31619612873', '2');
INSERT INTO match_keys VALUES (390, 19, 1, 'document', '1|document|TN|T346799', '2');
INSERT INTO match_keys VALUES (391, 19, 1, 'iban', '1|iban|NL25TRIO8598537913', '2');
INSERT INTO match_keys VALUES (392, 19, 1, 'name_dob', '1|name_dob|al hassan mohamed|1986-06-04', '2');
INSERT INTO match_keys VALUES (393, 19, 1, 'name_dob', '2|name_date|hassan mohamed|1986-06-04', '2');
INSERT INTO match_keys VALUES (394, 19, 1, 'name_dob', '2|name_joined|hassanmohamed|1986', '2');
INSERT INTO match_keys VALUES (395, 19, 1, 'name_dob', '2|name_month|hassan mohamed|1986-06', '2');
INSERT INTO match_keys VALUES (396, 19, 1, 'name_dob', '2|name_phonetic|h:HSN m:MHMT|1986', '2');
INSERT INTO match_keys VALUES (397, 19, 1, 'name_dob', '2|name_swap|hassan mohamed|1986-04-06', '2');
INSERT INTO match_keys VALUES (398, 19, 1, 'name_dob', '2|name_typo|assan mohamed|1986', '2');
INSERT INTO match_keys VALUES (399, 19, 1, 'name_dob', '2|name_typo|hasan mohamed|1986', '2');
INSERT INTO match_keys VALUES (400, 19, 1, 'name_dob', '2|name_typo|hassa mohamed|1986', '2');
INSERT INTO match_keys VALUES (401, 19, 1, 'name_dob', '2|name_typo|hassan mhamed|1986', '2');
INSERT INTO match_keys VALUES (402, 19, 1, 'name_dob', '2|name_typo|hassan moamed|1986', '2');
INSERT INTO match_keys VALUES (403, 19, 1, 'name_dob', '2|name_typo|hassan mohaed|1986', '2');
INSERT INTO match_keys VALUES (404, 19, 1, 'name_dob', '2|name_typo|hassan mohamd|1986', '2');
INSERT INTO match_keys VALUES (405, 19, 1, 'name_dob', '2|name_typo|hassan mohamed|1986', '2');
INSERT INTO match_keys VALUES (406, 19, 1, 'name_dob', '2|name_typo|hassan mohame|1986', '2');
INSERT INTO match_keys VALUES (407, 19, 1, 'name_dob', '2|name_typo|hassan mohmed|1986', '2');
INSERT INTO match_keys VALUES (408, 19, 1, 'name_dob', '2|name_typo|hassan ohamed|1986', '2');
INSERT INTO match_keys VALUES (409, 19, 1, 'name_dob', '2|name_typo|hassn mohamed|1986', '2');
INSERT INTO match_keys VALUES (410, 19, 1, 'name_dob', '2|name_typo|hssan mohamed|1986', '2');
INSERT INTO match_keys VALUES (411, 19, 1, 'phone', '1|phone|+31622870571', '2');
INSERT INTO match_keys VALUES (412, 20, 1, 'document', '1|document|BE|TP467411', '2');
INSERT INTO match_keys VALUES (413, 20, 1, 'name_dob', '1|name_dob|eva peters|1990-07-19', '2');
INSERT INTO match_keys VALUES (414, 20, 1, 'name_dob', '2|name_date|eva peters|1990-07-19', '2');
INSERT INTO match_keys VALUES (415, 20, 1, 'name_dob', '2|name_joined|evapeters|1990', '2');
INSERT INTO match_keys VALUES (416, 20, 1, 'name_dob', '2|name_month|eva peters|1990-07', '2');
INSERT INTO match_keys VALUES (417, 20, 1, 'name_dob', '2|name_phonetic|p:PTRS v:F|1990', '2');
INSERT INTO match_keys VALUES (418, 20, 1, 'name_dob', '2|name_typo|ea peters|1990', '2');
INSERT INTO match_keys VALUES (419, 20, 1, 'name_dob', '2|name_typo|eters eva|1990', '2');
INSERT INTO match_keys VALUES (420, 20, 1, 'name_dob', '2|name_typo|ev peters|1990', '2');
INSERT INTO match_keys VALUES (421, 20, 1, 'name_dob', '2|name_typo|eva peers|1990', '2');
INSERT INTO match_keys VALUES (422, 20, 1, 'name_dob', '2|name_typo|eva peters|1990', '2');
INSERT INTO match_keys VALUES (423, 20, 1, 'name_dob', '2|name_typo|eva peter|1990', '2');
INSERT INTO match_keys VALUES (424, 20, 1, 'name_dob', '2|name_typo|eva petes|1990', '2');
INSERT INTO match_keys VALUES (425, 20, 1, 'name_dob', '2|name_typo|eva petrs|1990', '2');
INSERT INTO match_keys VALUES (426, 20, 1, 'name_dob', '2|name_typo|eva pters|1990', '2');
INSERT INTO match_keys VALUES (427, 20, 1, 'name_dob', '2|name_typo|peters va|1990', '2');
INSERT INTO match_keys VALUES (428, 20, 1, 'phone', '1|phone|+32459945564', '2');
INSERT INTO match_keys VALUES (429, 21, 1, 'document', '1|document|SY|N954831096', '2');
INSERT INTO match_keys VALUES (430, 21, 1, 'email', '1|email|hamza.farouk@example.net', '2');
INSERT INTO match_keys VALUES (431, 21, 1, 'name_dob', '1|name_dob|farouk hamza|1953-10-02', '2');
INSERT INTO match_keys VALUES (432, 21, 1, 'name_dob', '2|name_date|farouk hamza|1953-10-02', '2');
INSERT INTO match_keys VALUES (433, 21, 1, 'name_dob', '2|name_joined|faroukhamza|1953', '2');
INSERT INTO match_keys VALUES (434, 21, 1, 'name_dob', '2|name_month|farouk hamza|1953-10', '2');
INSERT INTO match_keys VALUES (435, 21, 1, 'name_dob', '2|name_phonetic|f:FRK h:HMS|1953', '2');
INSERT INTO match_keys VALUES (436, 21, 1, 'name_dob', '2|name_swap|farouk hamza|1953-02-10', '2');
INSERT INTO match_keys VALUES (437, 21, 1, 'name_dob', '2|name_typo|amza farouk|1953', '2');
INSERT INTO match_keys VALUES (438, 21, 1, 'name_dob', '2|name_typo|arouk hamza|1953', '2');
INSERT INTO match_keys VALUES (439, 21, 1, 'name_dob', '2|name_typo|faouk hamza|1953', '2');
INSERT INTO match_keys VALUES (440, 21, 1, 'name_dob', '2|name_typo|farok hamza|1953', '2');
INSERT INTO match_keys VALUES (441, 21, 1, 'name_dob', '2|name_typo|farou hamza|1953', '2');
INSERT INTO match_keys VALUES (442, 21, 1, 'name_dob', '2|name_typo|farouk hama|1953', '2');
INSERT INTO match_keys VALUES (443, 21, 1, 'name_dob', '2|name_typo|farouk hamza|1953', '2');
INSERT INTO match_keys VALUES (444, 21, 1, 'name_dob', '2|name_typo|farouk hamz|1953', '2');
INSERT INTO match_keys VALUES (445, 21, 1, 'name_dob', '2|name_typo|farouk haza|1953', '2');
INSERT INTO match_keys VALUES (446, 21, 1, 'name_dob', '2|name_typo|farouk hmza|1953', '2');
INSERT INTO match_keys VALUES (447, 21, 1, 'name_dob', '2|name_typo|faruk hamza|1953', '2');
INSERT INTO match_keys VALUES (448, 21, 1, 'name_dob', '2|name_typo|frouk hamza|1953', '2');
INSERT INTO match_keys VALUES (449, 21, 1, 'phone', '1|phone|+31639938277', '2');
INSERT INTO match_keys VALUES (450, 22, 1, 'email', '1|email|alhassan.mohamed10@example.com', '2');
INSERT INTO match_keys VALUES (451, 22, 1, 'iban', '1|iban|FR7637727049774427247203931', '2');
INSERT INTO match_keys VALUES (452, 22, 1, 'name_dob', '1|name_dob|al hassan mohamed|1973-11-27', '2');
INSERT INTO match_keys VALUES (453, 22, 1, 'name_dob', '2|name_date|hassan mohamed|1973-11-27', '2');
INSERT INTO match_keys VALUES (454, 22, 1, 'name_dob', '2|name_joined|hassanmohamed|1973', '2');
INSERT INTO match_keys VALUES (455, 22, 1, 'name_dob', '2|name_month|hassan mohamed|1973-11', '2');
INSERT INTO match_keys VALUES (456, 22, 1, 'name_dob', '2|name_phonetic|h:HSN m:MHMT|1973', '2');
INSERT INTO match_keys VALUES (457, 22, 1, 'name_dob', '2|name_typo|assan mohamed|1973', '2');
INSERT INTO match_keys VALUES (458, 22, 1, 'name_dob', '2|name_typo|hasan mohamed|1973', '2');
INSERT INTO match_keys VALUES (459, 22, 1, 'name_dob', '2|name_typo|hassa mohamed|1973', '2');
INSERT INTO match_keys VALUES (460, 22, 1, 'name_dob', '2|name_typo|hassan mhamed|1973', '2');
INSERT INTO match_keys VALUES (461, 22, 1, 'name_dob', '2|name_typo|hassan moamed|1973', '2');
INSERT INTO match_keys VALUES (462, 22, 1, 'name_dob', '2|name_typo|hassan mohaed|1973', '2');
INSERT INTO match_keys VALUES (463, 22, 1, 'name_dob', '2|name_typo|hassan mohamd|1973', '2');
INSERT INTO match_keys VALUES (464, 22, 1, 'name_dob', '2|name_typo|hassan mohamed|1973', '2');
INSERT INTO match_keys VALUES (465, 22, 1, 'name_dob', '2|name_typo|hassan mohame|1973', '2');
INSERT INTO match_keys VALUES (466, 22, 1, 'name_dob', '2|name_typo|hassan mohmed|1973', '2');
INSERT INTO match_keys VALUES (467, 22, 1, 'name_dob', '2|name_typo|hassan ohamed|1973', '2');
INSERT INTO match_keys VALUES (468, 22, 1, 'name_dob', '2|name_typo|hassn mohamed|1973', '2');
INSERT INTO match_keys VALUES (469, 22, 1, 'name_dob', '2|name_typo|hssan mohamed|1973', '2');
INSERT INTO match_keys VALUES (470, 23, 1, 'document', '1|document|FR|93PT70602', '2');
INSERT INTO match_keys VALUES (471, 23, 1, 'email', '1|email|barbier.ines@example.com', '2');
INSERT INTO match_keys VALUES (472, 23, 1, 'name_dob', '1|name_dob|barbier ines|1978-12-17', '2');
INSERT INTO match_keys VALUES (473, 23, 1, 'name_dob', '2|name_date|barbier ines|1978-12-17', '2');
INSERT INTO match_keys VALUES (474, 23, 1, 'name_dob', '2|name_joined|inesbarbier|1978', '2');
INSERT INTO match_keys VALUES (475, 23, 1, 'name_dob', '2|name_month|barbier ines|1978-12', '2');
INSERT INTO match_keys VALUES (476, 23, 1, 'name_dob', '2|name_phonetic|b:BRBR n:NS|1978', '2');
INSERT INTO match_keys VALUES (477, 23, 1, 'name_dob', '2|name_typo|arbier ines|1978', '2');
INSERT INTO match_keys VALUES (478, 23, 1, 'name_dob', '2|name_typo|babier ines|1978', '2');
INSERT INTO match_keys VALUES (479, 23, 1, 'name_dob', '2|name_typo|barber ines|1978', '2');
INSERT INTO match_keys VALUES (480, 23, 1, 'name_dob', '2|name_typo|barbie ines|1978', '2');
INSERT INTO match_keys VALUES (481, 23, 1, 'name_dob', '2|name_typo|barbier ies|1978', '2');
INSERT INTO match_keys VALUES (482, 23, 1, 'name_dob', '2|name_typo|barbier ines|1978', '2');
INSERT INTO match_keys VALUES (483, 23, 1, 'name_dob', '2|name_typo|barbier ine|1978', '2');
INSERT INTO match_keys VALUES (484, 23, 1, 'name_dob', '2|name_typo|barbier ins|1978', '2');
INSERT INTO match_keys VALUES (485, 23, 1, 'name_dob', '2|name_typo|barbier nes|1978', '2');
INSERT INTO match_keys VALUES (486, 23, 1, 'name_dob', '2|name_typo|barbir ines|1978', '2');
INSERT INTO match_keys VALUES (487, 23, 1, 'name_dob', '2|name_typo|barier ines|1978', '2');
INSERT INTO match_keys VALUES (488, 23, 1, 'name_dob', '2|name_typo|brbier ines|1978', '2');
INSERT INTO match_keys VALUES (489, 23, 1, 'national_id', '1|national_id|FR|278124349407797', '2');
INSERT INTO match_keys VALUES (490, 23, 1, 'phone', '1|phone|+33621284050', '2');
INSERT INTO match_keys VALUES (491, 24, 1, 'document', '1|document|TR|U62433548', '2');
INSERT INTO match_keys VALUES (492, 24, 1, 'email', '1|email|murat.cetin48@example.net', '2');
INSERT INTO match_keys VALUES (493, 24, 1, 'iban', '1|iban|TR860328807853066316978405', '2');
INSERT INTO match_keys VALUES (494, 24, 1, 'name_dob', '1|name_dob|cetin murat|1994-12-22', '2');
INSERT INTO match_keys VALUES (495, 24, 1, 'name_dob', '2|name_date|cetin murat|1994-12-22', '2');
INSERT INTO match_keys VALUES (496, 24, 1, 'name_dob', '2|name_joined|muratcetin|1994', '2');
INSERT INTO match_keys VALUES (497, 24, 1, 'name_dob', '2|name_month|cetin murat|1994-12', '2');
INSERT INTO match_keys VALUES (498, 24, 1, 'name_dob', '2|name_phonetic|c:STN m:MRT|1994', '2');
INSERT INTO match_keys VALUES (499, 24, 1, 'name_dob', '2|name_typo|cein murat|1994', '2');
INSERT INTO match_keys VALUES (500, 24, 1, 'name_dob', '2|name_typo|ceti murat|1994', '2');
INSERT INTO match_keys VALUES (501, 24, 1, 'name_dob', '2|name_typo|cetin mrat|1994', '2');
INSERT INTO match_keys VALUES (502, 24, 1, 'name_dob', '2|name_typo|cetin muat|1994', '2');
INSERT INTO match_keys VALUES (503, 24, 1, 'name_dob', '2|name_typo|cetin murat|1994', '2');
INSERT INTO match_keys VALUES (504, 24, 1, 'name_dob', '2|name_typo|cetin mura|1994', '2');
INSERT INTO match_keys VALUES (505, 24, 1, 'name_dob', '2|name_typo|cetin murt|1994', '2');
INSERT INTO match_keys VALUES (506, 24, 1, 'name_dob', '2|name_typo|cetin urat|1994', '2');
INSERT INTO match_keys VALUES (507, 24, 1, 'name_dob', '2|name_typo|cetn murat|1994', '2');
INSERT INTO match_keys VALUES (508, 24, 1, 'name_dob', '2|name_typo|ctin murat|1994', '2');
INSERT INTO match_keys VALUES (509, 24, 1, 'name_dob', '2|name_typo|etin murat|1994', '2');
INSERT INTO match_keys VALUES (510, 24, 1, 'national_id', '1|national_id|TR|39486563778', '2');
INSERT INTO match_keys VALUES (511, 24, 1, 'phone', '1|phone|+905398847665', '2');
INSERT INTO match_keys VALUES (512, 25, 1, 'document', '1|document|BE|HU622504', '2');
INSERT INTO match_keys VALUES (513, 25, 1, 'email', '1|email|degraaf.eva26@example.net', '2');
INSERT INTO match_keys VALUES (514, 25, 1, 'iban', '1|iban|BE53363557761053', '2');
INSERT INTO match_keys VALUES (515, 25, 1, 'name_dob', '1|name_dob|de eva graaf|1963-09-04', '2');
INSERT INTO match_keys VALUES (516, 25, 1, 'name_dob', '2|name_date|eva graaf|1963-09-04', '2');
INSERT INTO match_keys VALUES (517, 25, 1, 'name_dob', '2|name_joined|evagraaf|1963', '2');
INSERT INTO match_keys VALUES (518, 25, 1, 'name_dob', '2|name_month|eva graaf|1963-09', '2');
INSERT INTO match_keys VALUES (519, 25, 1, 'name_dob', '2|name_phonetic|g:KRF v:F|1963', '2');
INSERT INTO match_keys VALUES (520, 25, 1, 'name_dob', '2|name_swap|eva graaf|1963-04-09', '2');
INSERT INTO match_keys VALUES (521, 25, 1, 'name_dob', '2|name_typo|ea graaf|1963', '2');
INSERT INTO match_keys VALUES (522, 25, 1, 'name_dob', '2|name_typo|ev graaf|1963', '2');
INSERT INTO match_keys VALUES (523, 25, 1, 'name_dob', '2|name_typo|eva gaaf|1963', '2');
INSERT INTO match_keys VALUES (524, 25, 1, 'name_dob', '2|name_typo|eva graaf|1963', '2');
INSERT INTO match_keys VALUES (525, 25, 1, 'name_dob', '2|name_typo|eva graa|1963', '2');
INSERT INTO match_keys VALUES (526, 25, 1, 'name_dob', '2|name_typo|eva graf|1963', '2');
INSERT INTO match_keys VALUES (527, 25, 1, 'name_dob', '2|name_typo|eva raaf|1963', '2');
INSERT INTO match_keys VALUES (528, 25, 1, 'name_dob', '2|name_typo|graaf va|1963', '2');
INSERT INTO match_keys VALUES (529, 25, 1, 'phone', '1|phone|+32464839733', '2');
INSERT INTO match_keys VALUES (530, 26, 1, 'document', '1|document|TR|U20053145', '2');
INSERT INTO match_keys VALUES (531, 26, 1, 'email', '1|email|ibrahim.arslan9@post.example', '2');
INSERT INTO match_keys VALUES (532, 26, 1, 'email', '1|email|ibrahimarslan@example.com', '2');
INSERT INTO match_keys VALUES (533, 26, 1, 'name_dob', '1|name_dob|arslan ibrahim|1989-05-08', '2');
INSERT INTO match_keys VALUES (534, 26, 1, 'name_dob', '2|name_date|arslan ibrahim|1989-05-08', '2');
INSERT INTO match_keys VALUES (535, 26, 1, 'name_dob', '2|name_joined|arslanibrahim|1989', '2');
INSERT INTO match_keys VALUES (536, 26, 1, 'name_dob', '2|name_month|arslan ibrahim|1989-05', '2');
INSERT INTO match_keys VALUES (537, 26, 1, 'name_dob', '2|name_phonetic|b:BRHM r:RSLN|1989', '2');
INSERT INTO match_keys VALUES (538, 26, 1, 'name_dob', '2|name_swap|arslan ibrahim|1989-05-08', '2');
INSERT INTO match_keys VALUES (539, 26, 1, 'name_dob', '2|name_typo|arlan ibrahim|1989', '2');
INSERT INTO match_keys VALUES (540, 26, 1, 'name_dob', '2|name_typo|arsan ibrahim|1989', '2');
INSERT INTO match_keys VALUES (541, 26, 1, 'name_dob', '2|name_typo|arsla ibrahim|1989', '2');
INSERT INTO match_keys VALUES (542, 26, 1, 'name_dob', '2|name_typo|arslan brahim|1989', '2');
INSERT INTO match_keys VALUES (543, 26, 1, 'name_dob', '2|name_typo|arslan ibahim|1989', '2');
INSERT INTO match_keys VALUES (544, 26, 1, 'name_dob', '2|name_typo|arslan ibrahim|1989', '2');
INSERT INTO match_keys VALUES (545, 26, 1, 'name_dob', '2|name_typo|arslan ibrahi|1989', '2');
INSERT INTO match_keys VALUES (546, 26, 1, 'name_dob', '2|name_typo|arslan ibrahm|1989', '2');
INSERT INTO match_keys VALUES (547, 26, 1, 'name_dob', '2|name_typo|arslan ibraim|1989', '2');
INSERT INTO match_keys VALUES (548, 26, 1, 'name_dob', '2|name_typo|arslan ibrhim|1989', '2');
INSERT INTO match_keys VALUES (549, 26, 1, 'name_dob', '2|name_typo|arslan irahim|1989', '2');
INSERT INTO match_keys VALUES (550, 26, 1, 'name_dob', '2|name_typo|arsln ibrahim|1989', '2');
INSERT INTO match_keys VALUES (551, 26, 1, 'name_dob', '2|name_typo|aslan ibrahim|1989', '2');
INSERT INTO match_keys VALUES (552, 26, 1, 'name_dob', '2|name_typo|ibrahim rslan|1989', '2');
INSERT INTO match_keys VALUES (553, 26, 1, 'national_id', '1|national_id|TR|35692490884', '2');
INSERT INTO match_keys VALUES (554, 26, 1, 'wallet', '1|wallet|bc1q60n0gle58ach02y6ctevkvpdfs0u3t9t95y0t0', '2');
INSERT INTO match_keys VALUES (555, 27, 1, 'email', '1|email|d.dijkstra38@example.com', '2');
INSERT INTO match_keys VALUES (556, 27, 1, 'name_dob', '1|name_dob|daan dijkstra|2000-10-20', '2');
INSERT INTO match_keys VALUES (557, 27, 1, 'name_dob', '2|name_date|daan dijkstra|2000-10-20', '2');
INSERT INTO match_keys VALUES (558, 27, 1, 'name_dob', '2|name_joined|dijkstradaan|2000', '2');
INSERT INTO match_keys VALUES (559, 27, 1, 'name_dob', '2|name_month|daan dijkstra|2000-10', '2');
INSERT INTO match_keys VALUES (560, 27, 1, 'name_dob', '2|name_phonetic|d:TJKSTR d:TN|2000', '2');
INSERT INTO match_keys VALUES (561, 27, 1, 'name_dob', '2|name_typo|aan dijkstra|2000', '2');
INSERT INTO match_keys VALUES (562, 27, 1, 'name_dob', '2|name_typo|daa dijkstra|2000', '2');
INSERT INTO match_keys VALUES (563, 27, 1, 'name_dob', '2|name_typo|daan dijksra|2000', '2');
INSERT INTO match_keys VALUES (564, 27, 1, 'name_dob', '2|name_typo|daan dijksta|2000', '2');
INSERT INTO match_keys VALUES (565, 27, 1, 'name_dob', '2|name_typo|daan dijkstra|2000', '2');
INSERT INTO match_keys VALUES (566, 27, 1, 'name_dob', '2|name_typo|daan dijkstr|2000', '2');
INSERT INTO match_keys VALUES (567, 27, 1, 'name_dob', '2|name_typo|daan dijktra|2000', '2');
INSERT INTO match_keys VALUES (568, 27, 1, 'name_dob', '2|name_typo|daan dijstra|2000', '2');
INSERT INTO match_keys VALUES (569, 27, 1, 'name_dob', '2|name_typo|daan dikstra|2000', '2');
INSERT INTO match_keys VALUES (570, 27, 1, 'name_dob', '2|name_typo|daan djkstra|2000', '2');
INSERT INTO match_keys VALUES (571, 27, 1, 'name_dob', '2|name_typo|daan ijkstra|2000', '2');
INSERT INTO match_keys VALUES (572, 27, 1, 'name_dob', '2|name_typo|dan dijkstra|2000', '2');
INSERT INTO match_keys VALUES (573, 27, 1, 'national_id', '1|national_id|NL|887390614', '2');
INSERT INTO match_keys VALUES (574, 27, 1, 'phone', '1|phone|+31655513487', '2');
INSERT INTO match_keys VALUES (575, 28, 1, 'iban', '1|iban|DE33451660906522399568', '2');
INSERT INTO match_keys VALUES (576, 28, 1, 'iban', '1|iban|DE65816948772174732871', '2');
INSERT INTO match_keys VALUES (577, 28, 1, 'name_dob', '2|name_joined|khadijanasser|1962', '2');
INSERT INTO match_keys VALUES (578, 28, 1, 'name_dob', '2|name_phonetic|k:KHTJ n:NSR|1962', '2');
INSERT INTO match_keys VALUES (579, 28, 1, 'name_dob', '2|name_typo|asser khadija|1962', '2');
INSERT INTO match_keys VALUES (580, 28, 1, 'name_dob', '2|name_typo|hadija nasser|1962', '2');
INSERT INTO match_keys VALUES (581, 28, 1, 'name_dob', '2|name_typo|kadija nasser|1962', '2');
INSERT INTO match_keys VALUES (582, 28, 1, 'name_dob', '2|name_typo|khadia nasser|1962', '2');
INSERT INTO match_keys VALUES (583, 28, 1, 'name_dob', '2|name_typo|khadij nasser|1962', '2');
INSERT INTO match_keys VALUES (584, 28, 1, 'name_dob', '2|name_typo|khadija naser|1962', '2');
INSERT INTO match_keys VALUES (585, 28, 1, 'name_dob', '2|name_typo|khadija nasser|1962', '2');
INSERT INTO match_keys VALUES (586, 28, 1, 'name_dob', '2|name_typo|khadija nasse|1962', '2');
INSERT INTO match_keys VALUES (587, 28, 1, 'name_dob', '2|name_typo|khadija nassr|1962', '2');
INSERT INTO match_keys VALUES (588, 28, 1, 'name_dob', '2|name_typo|khadija nsser|1962', '2');
INSERT INTO match_keys VALUES (589, 28, 1, 'name_dob', '2|name_typo|khadja nasser|1962', '2');
INSERT INTO match_keys VALUES (590, 28, 1, 'name_dob', '2|name_typo|khaija nasser|1962', '2');
INSERT INTO match_keys VALUES (591, 28, 1, 'name_dob', '2|name_typo|khdija nasser|1962', '2');
INSERT INTO match_keys VALUES (592, 28, 1, 'phone', '1|phone|+4915584804772', '2');
INSERT INTO match_keys VALUES (593, 29, 1, 'document', '1|document|NL|LL186Y5Y4', '2');
INSERT INTO match_keys VALUES (594, 29, 1, 'name_dob', '1|name_dob|lucas smits|1974-12-14', '2');
INSERT INTO match_keys VALUES (595, 29, 1, 'name_dob', '2|name_date|lucas smits|1974-12-14', '2');
INSERT INTO match_keys VALUES (596, 29, 1, 'name_dob', '2|name_joined|lucassmits|1974', '2');
INSERT INTO match_keys VALUES (597, 29, 1, 'name_dob', '2|name_month|lucas smits|1974-12', '2');
INSERT INTO match_keys VALUES (598, 29, 1, 'name_dob', '2|name_phonetic|l:LKS s:SMTS|1974', '2');
INSERT INTO match_keys VALUES (599, 29, 1, 'name_dob', '2|name_typo|lcas smits|1974', '2');
INSERT INTO match_keys VALUES (600, 29, 1, 'name_dob', '2|name_typo|luas smits|1974', '2');
INSERT INTO match_keys VALUES (601, 29, 1, 'name_dob', '2|name_typo|luca smits|1974', '2');
INSERT INTO match_keys VALUES (602, 29, 1, 'name_dob', '2|name_typo|lucas mits|1974', '2');
INSERT INTO match_keys VALUES (603, 29, 1, 'name_dob', '2|name_typo|lucas sits|1974', '2');
INSERT INTO match_keys VALUES (604, 29, 1, 'name_dob', '2|name_typo|lucas smis|1974', '2');
INSERT INTO match_keys VALUES (605, 29, 1, 'name_dob', '2|name_typo|lucas smits|1974', '2');
INSERT INTO match_keys VALUES (606, 29, 1, 'name_dob', '2|name_typo|lucas smit|1974', '2');
INSERT INTO match_keys VALUES (607, 29, 1, 'name_dob', '2|name_typo|lucas smts|1974', '2');
INSERT INTO match_keys VALUES (608, 29, 1, 'name_dob', '2|name_typo|lucs smits|1974', '2');
INSERT INTO match_keys VALUES (609, 29, 1, 'name_dob', '2|name_typo|smits ucas|1974', '2');
INSERT INTO match_keys VALUES (610, 29, 1, 'national_id', '1|national_id|NL|236988578', '2');
INSERT INTO match_keys VALUES (611, 29, 1, 'phone', '1|phone|+31612811418', '2');
INSERT INTO match_keys VALUES (612, 30, 1, 'document', '1|document|BE|PH190683', '2');
INSERT INTO match_keys VALUES (613, 30, 1, 'email', '1|email|camille.lemaitre@mail.example', '2');
INSERT INTO match_keys VALUES (614, 30, 1, 'name_dob', '1|name_dob|camille lemaitre|1978-12-25', '2');
INSERT INTO match_keys VALUES (615, 30, 1, 'name_dob', '2|name_date|camille lemaitre|1978-12-25', '2');
INSERT INTO match_keys VALUES (616, 30, 1, 'name_dob', '2|name_joined|camillelemaitre|1978', '2');
INSERT INTO match_keys VALUES (617, 30, 1, 'name_dob', '2|name_month|camille lemaitre|1978-12', '2');
INSERT INTO match_keys VALUES (618, 30, 1, 'name_dob', '2|name_phonetic|c:KML l:LMTR|1978', '2');
INSERT INTO match_keys VALUES (619, 30, 1, 'name_dob', '2|name_typo|amille lemaitre|1978', '2');
INSERT INTO match_keys VALUES (620, 30, 1, 'name_dob', '2|name_typo|caille lemaitre|1978', '2');
INSERT INTO match_keys VALUES (621, 30, 1, 'name_dob', '2|name_typo|camile lemaitre|1978', '2');
INSERT INTO match_keys VALUES (622, 30, 1, 'name_dob', '2|name_typo|camill lemaitre|1978', '2');
INSERT INTO match_keys VALUES (623, 30, 1, 'name_dob', '2|name_typo|camille emaitre|1978', '2');
INSERT INTO match_keys VALUES (624, 30, 1, 'name_dob', '2|name_typo|camille leaitre|1978', '2');
INSERT INTO match_keys VALUES (625, 30, 1, 'name_dob', '2|name_typo|camille lemaire|1978', '2');
INSERT INTO match_keys VALUES (626, 30, 1, 'name_dob', '2|name_typo|camille lemaite|1978', '2');
INSERT INTO match_keys VALUES (627, 30, 1, 'name_dob', '2|name_typo|camille lemaitre|1978', '2');
INSERT INTO match_keys VALUES (628, 30, 1, 'name_dob', '2|name_typo|camille lemaitr|1978', '2');
INSERT INTO match_keys VALUES (629, 30, 1, 'name_dob', '2|name_typo|camille lematre|1978', '2');
INSERT INTO match_keys VALUES (630, 30, 1, 'name_dob', '2|name_typo|camille lemitre|1978', '2');
INSERT INTO match_keys VALUES (631, 30, 1, 'name_dob', '2|name_typo|camille lmaitre|1978', '2');
INSERT INTO match_keys VALUES (632, 30, 1, 'name_dob', '2|name_typo|camlle lemaitre|1978', '2');
INSERT INTO match_keys VALUES (633, 30, 1, 'name_dob', '2|name_typo|cmille lemaitre|1978', '2');
INSERT INTO match_keys VALUES (634, 30, 1, 'national_id', '1|national_id|BE|78122502178', '2');
INSERT INTO match_keys VALUES (635, 30, 1, 'phone', '1|phone|+32458418934', '2');
INSERT INTO match_keys VALUES (636, 30, 1, 'phone', '1|phone|+32463154452', '2');
INSERT INTO match_keys VALUES (637, 31, 1, 'document', '1|document|BE|ML647681', '2');
INSERT INTO match_keys VALUES (638, 31, 1, 'email', '1|email|smits.annemieke18@mail.example', '2');
INSERT INTO match_keys VALUES (639, 31, 1, 'iban', '1|iban|BE37737126554428', '2');
INSERT INTO match_keys VALUES (640, 31, 1, 'name_dob', '1|name_dob|annemieke smits|1998-07-26', '2');
INSERT INTO match_keys VALUES (641, 31, 1, 'name_dob', '2|name_date|annemieke smits|1998-07-26', '2');
INSERT INTO match_keys VALUES (642, 31, 1, 'name_dob', '2|name_joined|annemiekesmits|1998', '2');
INSERT INTO match_keys VALUES (643, 31, 1, 'name_dob', '2|name_month|annemieke smits|1998-07', '2');
INSERT INTO match_keys VALUES (644, 31, 1, 'name_dob', '2|name_phonetic|n:NMK s:SMTS|1998', '2');
INSERT INTO match_keys VALUES (645, 31, 1, 'name_dob', '2|name_typo|anemieke smits|1998', '2');
INSERT INTO match_keys VALUES (646, 31, 1, 'name_dob', '2|name_typo|anneieke smits|1998', '2');
INSERT INTO match_keys VALUES (647, 31, 1, 'name_dob', '2|name_typo|annemeke smits|1998', '2');
INSERT INTO match_keys VALUES (648, 31, 1, 'name_dob', '2|name_typo|annemiee smits|1998', '2');
INSERT INTO match_keys VALUES (649, 31, 1, 'name_dob', '2|name_typo|annemiek smits|1998', '2');
INSERT INTO match_keys VALUES (650, 31, 1, 'name_dob', '2|name_typo|annemieke mits|1998', '2');
INSERT INTO match_keys VALUES (651, 31, 1, 'name_dob', '2|name_typo|annemieke sits|1998', '2');
INSERT INTO match_keys VALUES (652, 31, 1, 'name_dob', '2|name_typo|annemieke smis|1998', '2');
INSERT INTO match_keys VALUES (653, 31, 1, 'name_dob', '2|name_typo|annemieke smits|1998', '2');
INSERT INTO match_keys VALUES (654, 31, 1, 'name_dob', '2|name_typo|annemieke smit|1998', '2');
INSERT INTO match_keys VALUES (655, 31, 1, 'name_dob', '2|name_typo|annemieke smts|1998', '2');
INSERT INTO match_keys VALUES (656, 31, 1, 'name_dob', '2|name_typo|annemike smits|1998', '2');
INSERT INTO match_keys VALUES (657, 31, 1, 'name_dob', '2|name_typo|annmieke smits|1998', '2');
INSERT INTO match_keys VALUES (658, 31, 1, 'name_dob', '2|name_typo|nnemieke smits|1998', '2');
INSERT INTO match_keys VALUES (659, 31, 1, 'phone', '1|phone|+32481809152', '2');
INSERT INTO match_keys VALUES (660, 32, 1, 'document', '1|document|NL|FN7FKHYK1', '2');
INSERT INTO match_keys VALUES (661, 32, 1, 'iban', '1|iban|BE75737330867851', '2');
INSERT INTO match_keys VALUES (662, 32, 1, 'name_dob', '2|name_joined|hendrikwit|2005', '2');
INSERT INTO match_keys VALUES (663, 32, 1, 'name_dob', '2|name_phonetic|h:HNTRK t:WT|2005', '2');
INSERT INTO match_keys VALUES (664, 32, 1, 'name_dob', '2|name_typo|endrik wit|2005', '2');
INSERT INTO match_keys VALUES (665, 32, 1, 'name_dob', '2|name_typo|hedrik wit|2005', '2');
INSERT INTO match_keys VALUES (666, 32, 1, 'name_dob', '2|name_typo|hendik wit|2005', '2');
INSERT INTO match_keys VALUES (667, 32, 1, 'name_dob', '2|name_typo|hendri wit|2005', '2');
INSERT INTO match_keys VALUES (668, 32, 1, 'name_dob', '2|name_typo|hendrik it|2005', '2');
INSERT INTO match_keys VALUES (669, 32, 1, 'name_dob', '2|name_typo|hendrik wit|2005', '2');
INSERT INTO match_keys VALUES (670, 32, 1, 'name_dob', '2|name_typo|hendrik wi|2005', '2');
INSERT INTO match_keys VALUES (671, 32, 1, 'name_dob', '2|name_typo|hendrik wt|2005', '2');
INSERT INTO match_keys VALUES (672, 32, 1, 'name_dob', '2|name_typo|hendrk wit|2005', '2');
INSERT INTO match_keys VALUES (673, 32, 1, 'name_dob', '2|name_typo|henrik wit|2005', '2');
INSERT INTO match_keys VALUES (674, 32, 1, 'name_dob', '2|name_typo|hndrik wit|2005', '2');
INSERT INTO match_keys VALUES (675, 32, 1, 'national_id', '1|national_id|NL|570016575', '2');
INSERT INTO match_keys VALUES (676, 32, 1, 'phone', '1|phone|+32494357479', '2');
INSERT INTO match_keys VALUES (677, 33, 1, 'document', '1|document|BE|AU559658', '2');
INSERT INTO match_keys VALUES (678, 33, 1, 'email', '1|email|y.mansour87@post.example', '2');
INSERT INTO match_keys VALUES (679, 33, 1, 'iban', '1|iban|DE61707386067485056155', '2');
INSERT INTO match_keys VALUES (680, 33, 1, 'name_dob', '1|name_dob|mansour youssef|1984-09-27', '2');
INSERT INTO match_keys VALUES (681, 33, 1, 'name_dob', '2|name_date|mansour youssef|1984-09-27', '2');
INSERT INTO match_keys VALUES (682, 33, 1, 'name_dob', '2|name_joined|youssefmansour|1984', '2');
INSERT INTO match_keys VALUES (683, 33, 1, 'name_dob', '2|name_month|mansour youssef|1984-09', '2');
INSERT INTO match_keys VALUES (684, 33, 1, 'name_dob', '2|name_phonetic|m:MNSR s:YSF|1984', '2');
INSERT INTO match_keys VALUES (685, 33, 1, 'name_dob', '2|name_typo|ansour youssef|1984', '2');
INSERT INTO match_keys VALUES (686, 33, 1, 'name_dob', '2|name_typo|manour youssef|1984', '2');
INSERT INTO match_keys VALUES (687, 33, 1, 'name_dob', '2|name_typo|mansor youssef|1984', '2');
INSERT INTO match_keys VALUES (688, 33, 1, 'name_dob', '2|name_typo|mansou youssef|1984', '2');
INSERT INTO match_keys VALUES (689, 33, 1, 'name_dob', '2|name_typo|mansour oussef|1984', '2');
INSERT INTO match_keys VALUES (690, 33, 1, 'name_dob', '2|name_typo|mansour yossef|1984', '2');
INSERT INTO match_keys VALUES (691, 33, 1, 'name_dob', '2|name_typo|mansour yousef|1984', '2');
INSERT INTO match_keys VALUES (692, 33, 1, 'name_dob', '2|name_typo|mansour youssef|1984', '2');
INSERT INTO match_keys VALUES (693, 33, 1, 'name_dob', '2|name_typo|mansour yousse|1984', '2');
INSERT INTO match_keys VALUES (694, 33, 1, 'name_dob', '2|name_typo|mansour youssf|1984', '2');
INSERT INTO match_keys VALUES (695, 33, 1, 'name_dob', '2|name_typo|mansour yussef|1984', '2');
INSERT INTO match_keys VALUES (696, 33, 1, 'name_dob', '2|name_typo|mansur youssef|1984', '2');
INSERT INTO match_keys VALUES (697, 33, 1, 'name_dob', '2|name_typo|masour youssef|1984', '2');
INSERT INTO match_keys VALUES (698, 33, 1, 'name_dob', '2|name_typo|mnsour youssef|1984', '2');
INSERT INTO match_keys VALUES (699, 33, 1, 'phone', '1|phone|+4915006972781', '2');
INSERT INTO match_keys VALUES (700, 34, 1, 'document', '1|document|FR|54HG41558', '2');
INSERT INTO match_keys VALUES (701, 34, 1, 'name_dob', '1|name_dob|chaoui mohammed|1960-07-31', '2');
INSERT INTO match_keys VALUES (702, 34, 1, 'name_dob', '2|name_date|chaoui mohammed|1960-07-31', '2');
INSERT INTO match_keys VALUES (703, 34, 1, 'name_dob', '2|name_joined|mohammedchaoui|1960', '2');
INSERT INTO match_keys VALUES (704, 34, 1, 'name_dob', '2|name_month|chaoui mohammed|1960-07', '2');
INSERT INTO match_keys VALUES (705, 34, 1, 'name_dob', '2|name_phonetic|c:X m:MHMT|1960', '2');
INSERT INTO match_keys VALUES (706, 34, 1, 'name_dob', '2|name_typo|caoui mohammed|1960', '2');
INSERT INTO match_keys VALUES (707, 34, 1, 'name_dob', '2|name_typo|chaoi mohammed|1960', '2');
INSERT INTO match_keys VALUES (708, 34, 1, 'name_dob', '2|name_typo|chaou mohammed|1960', '2');
INSERT INTO match_keys VALUES (709, 34, 1, 'name_dob', '2|name_typo|chaoui mhammed|1960', '2');
INSERT INTO match_keys VALUES (710, 34, 1, 'name_dob', '2|name_typo|chaoui moammed|1960', '2');
INSERT INTO match_keys VALUES (711, 34, 1, 'name_dob', '2|name_typo|chaoui mohamed|1960', '2');
INSERT INTO match_keys VALUES (712, 34, 1, 'name_dob', '2|name_typo|chaoui mohammd|1960', '2');
INSERT INTO match_keys VALUES (713, 34, 1, 'name_dob', '2|name_typo|chaoui mohammed|1960', '2');
INSERT INTO match_keys VALUES (714, 34, 1, 'name_dob', '2|name_typo|chaoui mohamme|1960', '2');
INSERT INTO match_keys VALUES (715, 34, 1, 'name_dob', '2|name_typo|chaoui mohmmed|1960', '2');
INSERT INTO match_keys VALUES (716, 34, 1, 'name_dob', '2|name_typo|chaoui ohammed|1960', '2');
INSERT INTO match_keys VALUES (717, 34, 1, 'name_dob', '2|name_typo|chaui mohammed|1960', '2');
INSERT INTO match_keys VALUES (718, 34, 1, 'name_dob', '2|name_typo|choui mohammed|1960', '2');
INSERT INTO match_keys VALUES (719, 34, 1, 'name_dob', '2|name_typo|haoui mohammed|1960', '2');
INSERT INTO match_keys VALUES (720, 34, 1, 'phone', '1|phone|+33799681570', '2');
INSERT INTO match_keys VALUES (721, 34, 1, 'wallet', '1|wallet|bc1qhzkh3tzj5096wsdl9ka8g8a6yx0777qd0sqgnf', '2');
INSERT INTO match_keys VALUES (722, 35, 1, 'document', '1|document|NL|RCR437ML7', '2');
INSERT INTO match_keys VALUES (723, 35, 1, 'email', '1|email|fleur.dewit75@post.example', '2');
INSERT INTO match_keys VALUES (724, 35, 1, 'email', '1|email|fleur.dewit@post.example', '2');
INSERT INTO match_keys VALUES (725, 35, 1, 'iban', '1|iban|NL87SNSB8250302940', '2');
INSERT INTO match_keys VALUES (726, 35, 1, 'name_dob', '2|name_joined|witfleur|1956', '2');
INSERT INTO match_keys VALUES (727, 35, 1, 'name_dob', '2|name_phonetic|f:FLR t:WT|1956', '2');
INSERT INTO match_keys VALUES (728, 35, 1, 'name_dob', '2|name_typo|feur wit|1956', '2');
INSERT INTO match_keys VALUES (729, 35, 1, 'name_dob', '2|name_typo|fler wit|1956', '2');
INSERT INTO match_keys VALUES (730, 35, 1, 'name_dob', '2|name_typo|fleu wit|1956', '2');
INSERT INTO match_keys VALUES (731, 35, 1, 'name_dob', '2|name_typo|fleur it|1956', '2');
INSERT INTO match_keys VALUES (732, 35, 1, 'name_dob', '2|name_typo|fleur wit|1956', '2');
INSERT INTO match_keys VALUES (733, 35, 1, 'name_dob', '2|name_typo|fleur wi|1956', '2');
INSERT INTO match_keys VALUES (734, 35, 1, 'name_dob', '2|name_typo|fleur wt|1956', '2');
INSERT INTO match_keys VALUES (735, 35, 1, 'name_dob', '2|name_typo|flur wit|1956', '2');
INSERT INTO match_keys VALUES (736, 35, 1, 'name_dob', '2|name_typo|leur wit|1956', '2');
INSERT INTO match_keys VALUES (737, 35, 1, 'national_id', '1|national_id|NL|381638911', '2');
INSERT INTO match_keys VALUES (738, 35, 1, 'phone', '1|phone|+31610675035', '2');
INSERT INTO match_keys VALUES (739, 35, 1, 'phone', '1|phone|+31681172727', '2');
INSERT INTO match_keys VALUES (740, 36, 1, 'document', '1|document|NL|SW1695ZP3', '2');
INSERT INTO match_keys VALUES (741, 36, 1, 'email', '1|email|bos.sanne@example.net', '2');
INSERT INTO match_keys VALUES (742, 36, 1, 'name_dob', '1|name_dob|bos sanne|1989-08-09', '2');
INSERT INTO match_keys VALUES (743, 36, 1, 'name_dob', '2|name_date|bos sanne|1989-08-09', '2');
INSERT INTO match_keys VALUES (744, 36, 1, 'name_dob', '2|name_joined|sannebos|1989', '2');
INSERT INTO match_keys VALUES (745, 36, 1, 'name_dob', '2|name_month|bos sanne|1989-08', '2');
INSERT INTO match_keys VALUES (746, 36, 1, 'name_dob', '2|name_phonetic|b:BS s:SN|1989', '2');
INSERT INTO match_keys VALUES (747, 36, 1, 'name_dob', '2|name_swap|bos sanne|1989-08-09', '2');
INSERT INTO match_keys VALUES (748, 36, 1, 'name_dob', '2|name_typo|anne bos|1989', '2');
INSERT INTO match_keys VALUES (749, 36, 1, 'name_dob', '2|name_typo|bo sanne|1989', '2');
INSERT INTO match_keys VALUES (750, 36, 1, 'name_dob', '2|name_typo|bos sane|1989', '2');
INSERT INTO match_keys VALUES (751, 36, 1, 'name_dob', '2|name_typo|bos sanne|1989', '2');
INSERT INTO match_keys VALUES (752, 36, 1, 'name_dob', '2|name_typo|bos sann|1989', '2');
INSERT INTO match_keys VALUES (753, 36, 1, 'name_dob', '2|name_typo|bos snne|1989', '2');
INSERT INTO match_keys VALUES (754, 36, 1, 'name_dob', '2|name_typo|bs sanne|1989', '2');
INSERT INTO match_keys VALUES (755, 36, 1, 'name_dob', '2|name_typo|os sanne|1989', '2');
INSERT INTO match_keys VALUES (756, 37, 1, 'document', '1|document|FR|47FF14511', '2');
INSERT INTO match_keys VALUES (757, 37, 1, 'email', '1|email|nabilmansour93@example.org', '2');
INSERT INTO match_keys VALUES (758, 37, 1, 'iban', '1|iban|FR7620815046726155001884497', '2');
INSERT INTO match_keys VALUES (759, 37, 1, 'name_dob', '1|name_dob|mansour nabil|1985-05-13', '2');
INSERT INTO match_keys VALUES (760, 37, 1, 'name_dob', '2|name_date|mansour nabil|1985-05-13', '2');
INSERT INTO match_keys VALUES (761, 37, 1, 'name_dob', '2|name_joined|nabilmansour|1985', '2');
INSERT INTO match_keys VALUES (762, 37, 1, 'name_dob', '2|name_month|mansour nabil|1985-05', '2');
INSERT INTO match_keys VALUES (763, 37, 1, 'name_dob', '2|name_phonetic|m:MNSR n:NBL|1985', '2');
INSERT INTO match_keys VALUES (764, 37, 1, 'name_dob', '2|name_typo|abil mansour|1985', '2');
INSERT INTO match_keys VALUES (765, 37, 1, 'name_dob', '2|name_typo|ansour nabil|1985', '2');
INSERT INTO match_keys VALUES (766, 37, 1, 'name_dob', '2|name_typo|manour nabil|1985', '2');
INSERT INTO match_keys VALUES (767, 37, 1, 'name_dob', '2|name_typo|mansor nabil|1985', '2');
INSERT INTO match_keys VALUES (768, 37, 1, 'name_dob', '2|name_typo|mansou nabil|1985', '2');
INSERT INTO match_keys VALUES (769, 37, 1, 'name_dob', '2|name_typo|mansour nabil|1985', '2');
INSERT INTO match_keys VALUES (770, 37, 1, 'name_dob', '2|name_typo|mansour nabi|1985', '2');
INSERT INTO match_keys VALUES (771, 37, 1, 'name_dob', '2|name_typo|mansour nabl|1985', '2');
INSERT INTO match_keys VALUES (772, 37, 1, 'name_dob', '2|name_typo|mansour nail|1985', '2');
INSERT INTO match_keys VALUES (773, 37, 1, 'name_dob', '2|name_typo|mansour nbil|1985', '2');
INSERT INTO match_keys VALUES (774, 37, 1, 'name_dob', '2|name_typo|mansur nabil|1985', '2');
INSERT INTO match_keys VALUES (775, 37, 1, 'name_dob', '2|name_typo|masour nabil|1985', '2');
INSERT INTO match_keys VALUES (776, 37, 1, 'name_dob', '2|name_typo|mnsour nabil|1985', '2');
INSERT INTO match_keys VALUES (777, 37, 1, 'phone', '1|phone|+33790857504', '2');
INSERT INTO match_keys VALUES (778, 38, 1, 'document', '1|document|NL|YMLZ3VTF2', '2');
INSERT INTO match_keys VALUES (779, 38, 1, 'email', '1|email|thijs.brouwer15@example.com', '2');
INSERT INTO match_keys VALUES (780, 38, 1, 'email', '1|email|thijsbrouwer@example.net', '2');
INSERT INTO match_keys VALUES (781, 38, 1, 'iban', '1|iban|NL74ASNB2057303773', '2');
INSERT INTO match_keys VALUES (782, 38, 1, 'name_dob', '1|name_dob|brouwer thijs|2004-04-27', '2');
INSERT INTO match_keys VALUES (783, 38, 1, 'name_dob', '2|name_date|brouwer thijs|2004-04-27', '2');
INSERT INTO match_keys VALUES (784, 38, 1, 'name_dob', '2|name_joined|thijsbrouwer|2004', '2');
INSERT INTO match_keys VALUES (785, 38, 1, 'name_dob', '2|name_month|brouwer thijs|2004-04', '2');
INSERT INTO match_keys VALUES (786, 38, 1, 'name_dob', '2|name_phonetic|b:BRWR t:0JS|2004', '2');
INSERT INTO match_keys VALUES (787, 38, 1, 'name_dob', '2|name_typo|bouwer thijs|2004', '2');
INSERT INTO match_keys VALUES (788, 38, 1, 'name_dob', '2|name_typo|brouer thijs|2004', '2');
INSERT INTO match_keys VALUES (789, 38, 1, 'name_dob', '2|name_typo|brouwe thijs|2004', '2');
INSERT INTO match_keys VALUES (790, 38, 1, 'name_dob', '2|name_typo|brouwer hijs|2004', '2');
INSERT INTO match_keys VALUES (791, 38, 1, 'name_dob', '2|name_typo|brouwer thijs|2004', '2');
INSERT INTO match_keys VALUES (792, 38, 1, 'name_dob', '2|name_typo|brouwer thij|2004', '2');
INSERT INTO match_keys VALUES (793, 38, 1, 'name_dob', '2|name_typo|brouwer this|2004', '2');
INSERT INTO match_keys VALUES (794, 38, 1, 'name_dob', '2|name_typo|brouwer thjs|2004', '2');
INSERT INTO match_keys VALUES (795, 38, 1, 'name_dob', '2|name_typo|brouwer tijs|2004', '2');
INSERT INTO match_keys VALUES (796, 38, 1, 'name_dob', '2|name_typo|brouwr thijs|2004', '2');
INSERT INTO match_keys VALUES (797, 38, 1, 'name_dob', '2|name_typo|brower thijs|2004', '2');
INSERT INTO match_keys VALUES (798, 38, 1, 'name_dob', '2|name_typo|bruwer thijs|2004', '2');
INSERT INTO match_keys VALUES (799, 38, 1, 'name_dob', '2|name_typo|rouwer thijs|2004', '2');
INSERT INTO match_keys VALUES (800, 38, 1, 'national_id', '1|national_id|NL|185303055', '2');
INSERT INTO match_keys VALUES (801, 38, 1, 'phone', '1|phone|+31634626373', '2');
INSERT INTO match_keys VALUES (802, 39, 1, 'document', '1|document|DE|CFHFP7NZY', '2');
INSERT INTO match_keys VALUES (803, 39, 1, 'email', '1|email|l.schmidt69@post.example', '2');
INSERT INTO match_keys VALUES (804, 39, 1, 'name_dob', '1|name_dob|leon schmidt|1998-01-18', '2');
INSERT INTO match_keys VALUES (805, 39, 1, 'name_dob', '2|name_date|leon schmidt|1998-01-18', '2');
INSERT INTO match_keys VALUES (806, 39, 1, 'name_dob', '2|name_joined|leonschmidt|1998', '2');
INSERT INTO match_keys VALUES (807, 39, 1, 'name_dob', '2|name_month|leon schmidt|1998-01', '2');
INSERT INTO match_keys VALUES (808, 39, 1, 'name_dob', '2|name_phonetic|l:LN s:SXMTT|1998', '2');
INSERT INTO match_keys VALUES (809, 39, 1, 'name_dob', '2|name_typo|chmidt leon|1998', '2');
INSERT INTO match_keys VALUES (810, 39, 1, 'name_dob', '2|name_typo|eon schmidt|1998', '2');
INSERT INTO match_keys VALUES (811, 39, 1, 'name_dob', '2|name_typo|len schmidt|1998', '2');
INSERT INTO match_keys VALUES (812, 39, 1, 'name_dob', '2|name_typo|leo schmidt|1998', '2');
INSERT INTO match_keys VALUES (813, 39, 1, 'name_dob', '2|name_typo|leon schidt|1998', '2');
INSERT INTO match_keys VALUES (814, 39, 1, 'name_dob', '2|name_typo|leon schmdt|1998', '2');
INSERT INTO match_keys VALUES (815, 39, 1, 'name_dob', '2|name_typo|leon schmidt|1998', '2');
INSERT INTO match_keys VALUES (816, 39, 1, 'name_dob', '2|name_typo|leon schmid|1998', '2');
INSERT INTO match_keys VALUES (817, 39, 1, 'name_dob', '2|name_typo|leon schmit|1998', '2');
INSERT INTO match_keys VALUES (818, 39, 1, 'name_dob', '2|name_typo|leon scmidt|1998', '2');
INSERT INTO match_keys VALUES (819, 39, 1, 'name_dob', '2|name_typo|leon shmidt|1998', '2');
INSERT INTO match_keys VALUES (820, 39, 1, 'name_dob', '2|name_typo|lon schmidt|1998', '2');
INSERT INTO match_keys VALUES (821, 39, 1, 'phone', '1|phone|+4915054304447', '2');
INSERT INTO match_keys VALUES (822, 39, 1, 'phone', '1|phone|+4915711930378', '2');
INSERT INTO match_keys VALUES (823, 40, 1, 'document', '1|document|TR|U50195220', '2');
INSERT INTO match_keys VALUES (824, 40, 1, 'email', '1|email|omer.sahin67@example.org', '2');
INSERT INTO match_keys VALUES (825, 40, 1, 'email', '1|email|sahin.omer22@example.org', '2');
INSERT INTO match_keys VALUES (826, 40, 1, 'name_dob', '2|name_joined|sahinomer|1965', '2');
INSERT INTO match_keys VALUES (827, 40, 1, 'name_dob', '2|name_phonetic|m:MR s:SHN|1965', '2');
INSERT INTO match_keys VALUES (828, 40, 1, 'name_dob', '2|name_typo|ahin omer|1965', '2');
INSERT INTO match_keys VALUES (829, 40, 1, 'name_dob', '2|name_typo|mer sahin|1965', '2');
INSERT INTO match_keys VALUES (830, 40, 1, 'name_dob', '2|name_typo|oer sahin|1965', '2');
INSERT INTO match_keys VALUES (831, 40, 1, 'name_dob', '2|name_typo|ome sahin|1965', '2');
INSERT INTO match_keys VALUES (832, 40, 1, 'name_dob', '2|name_typo|omer sahin|1965', '2');
INSERT INTO match_keys VALUES (833, 40, 1, 'name_dob', '2|name_typo|omer sahi|1965', '2');
INSERT INTO match_keys VALUES (834, 40, 1, 'name_dob', '2|name_typo|omer sahn|1965', '2');
INSERT INTO match_keys VALUES (835, 40, 1, 'name_dob', '2|name_typo|omer sain|1965', '2');
INSERT INTO match_keys VALUES (836, 40, 1, 'name_dob', '2|name_typo|omer shin|1965', '2');
INSERT INTO match_keys VALUES (837, 40, 1, 'name_dob', '2|name_typo|omr sahin|1965', '2');


--
-- Data for Name: records; Type: TABLE DATA; Schema: -; Owner: -
--

INSERT INTO records VALUES (1, 1, 'NL-000001', '924f7edf5725415889fae77e677990171ba3b7be890d235ea30da99b50fa16c1');
INSERT INTO records VALUES (2, 1, 'NL-000002', '95a33276d0452552a45b35e451f995c95167df80cf31fc9c54f42dddae83125f');
INSERT INTO records VALUES (3, 1, 'NL-000003', '28a1433a85b19339df8d6754e98ff7de899e627b6f8290b7ef3ee531e34f6a3f');
INSERT INTO records VALUES (4, 1, 'NL-000004', 'da312ffa0479a1d12addddd49624b7a3dcd4362eaf817033abf34656e1b4275a');
INSERT INTO records VALUES (5, 1, 'NL-000005', '1596139719fede8c61faf4d5856fc463776bd1ed1669f6e9fb1f3ddfdaeca301');
INSERT INTO records VALUES (6, 1, 'NL-000006', '3201e9831be3896a3d0524d1f7e227471ece539b1bd6f82a240390d95514cde6');
INSERT INTO records VALUES (7, 1, 'NL-000007', '05dc39378d8209298adedc4647d0469c2fe5d673d18a21f8d131e9172541e7de');
INSERT INTO records VALUES (8, 1, 'NL-000008', '49a6e9df515606ed2c11bf87ceba74bc902a476946888b951ecbd02829cd4273');
INSERT INTO records VALUES (9, 1, 'NL-000009', '79984bc55f5a8a517b03c294b40f1174fd5b0560c38067020693afec21ff7a20');
INSERT INTO records VALUES (10, 1, 'NL-000010', 'c766e57ef5607e99e046a03ae9a2c000b2e099a123adcea23471532868108cb6');
INSERT INTO records VALUES (11, 1, 'NL-000011', '77bc6d4dea4663ed4fc1ec9d7345ed1bb37e213c5bb13d73ff21ba66c1a98c5b');
INSERT INTO records VALUES (12, 1, 'NL-000012', 'e2a5b63d04a239a21a35b9c6eb9865b4d4266f9f266e6bdf6789b36a785ae893');
INSERT INTO records VALUES (13, 1, 'NL-000013', '61263c38754a1a3dd685c72edc4e0a1b8a7f8f6fab63f62109a701c128ec5b70');
INSERT INTO records VALUES (14, 1, 'NL-000014', '9246cecb1720a5c324176281de5d2aa98bfa847158eabb50cd1b0c5bd8a3e16c');
INSERT INTO records VALUES (15, 1, 'NL-000015', 'c69411bf716b50d7fd3286ace69413104fb719e8d9e2f40f03718663fb2e37a7');
INSERT INTO records VALUES (16, 1, 'NL-000016', '3f673ebb965d96c232202afba0e199ca144a3f60e743168d67ffd5cde873d92f');
INSERT INTO records VALUES (17, 1, 'NL-000017', 'd7038999f2c376ff93277f15e2f279b87dbb473101cae5aaa72378ba8835655c');
INSERT INTO records VALUES (18, 1, 'NL-000018', 'bc656b2827f97f278013dc597125d30a5b533b531b60b67cfd33a215fee333e6');
INSERT INTO records VALUES (19, 1, 'NL-000019', '1ef8bae1944a5628a2fe9554a88e8cef145e101d313fd93acc4312fbb3af308c');
INSERT INTO records VALUES (20, 1, 'NL-000020', '90a2bcbea67b4851e3016640a90018b03473614509e15df2bbf81e998def5101');
INSERT INTO records VALUES (21, 1, 'NL-000021', '51a9cf89e9bae74b804b4c4f5ec948f7070d65b1d3eba5c41234386798172bad');
INSERT INTO records VALUES (22, 1, 'NL-000022', '842234d00d9acc49f93fef0d88bd292b3a8288c5a25b57a451d089d8ca18ae0b');
INSERT INTO records VALUES (23, 1, 'NL-000023', '76df6a61b76cacceed0d9378383798cbced40433ce6cff60716b2895cc66f256');
INSERT INTO records VALUES (24, 1, 'NL-000024', '8d192de7765de789c40444be8d3e581c9690d56416b0177645757720132f9c15');
INSERT INTO records VALUES (25, 1, 'NL-000025', '29e0567e37f05bb08a2d0f1e90fedcc7da88a7c57c3601a5da88241321f7e477');
INSERT INTO records VALUES (26, 1, 'NL-000026', '17b64368ee7b791dc02cb3e7db9b7c66c774a3667e572286a0a44909d50b849e');
INSERT INTO records VALUES (27, 1, 'NL-000027', '71e39ddf82f1c818fa22e243fa1b504a6c566417f044e33fe62532981266accf');
INSERT INTO records VALUES (28, 1, 'NL-000028', 'b55b4b43e4e9cc3ebf4d56dc9af5ecac3fd788eccb184b27301efdadfc7761ab');
INSERT INTO records VALUES (29, 1, 'NL-000029', '1a053dcda3b5ace58874da10f65f20fa5b4184dc87cb42a337a97e11ab471ffc');
INSERT INTO records VALUES (30, 1, 'NL-000030', '7a02251db2a499accab530bc79c47d2831a2429cc43c8506199f2dccd0f73938');
INSERT INTO records VALUES (31, 1, 'NL-000031', '78d8d733f7e40a3305d9396aee400933d2a6c90047fd1386361cdb8d36f5cb4b');
INSERT INTO records VALUES (32, 1, 'NL-000032', '3847747ed4f9fae5eed1e74b2a0c0a7ccbdebe79701c2a9ad4d261fb2e8b1687');
INSERT INTO records VALUES (33, 1, 'NL-000033', 'cedc10743665b181c39179b98101c3ed60483e797922afda7cd629312bd386e9');
INSERT INTO records VALUES (34, 1, 'NL-000034', 'dedfef7a8aa8db381f3303fa1bea8b400b9cf0a68d7d004f4a56d88e91e52bee');
INSERT INTO records VALUES (35, 1, 'NL-000035', '7801e83cb951a039b8ce553aff7a0160372e03c538635652f8ab5513e44c61f0');
INSERT INTO records VALUES (36, 1, 'NL-000036', '862995f07e8904c9532d27285735e5eda88979a32579d7d9293a5716889b216e');
INSERT INTO records VALUES (37, 1, 'NL-000037', '12347fe09de9a0fc00e8de9b73980aee9e2c09f39f9a5e6fe80af03acc84540f');
INSERT INTO records VALUES (38, 1, 'NL-000038', '7b941ab685b6c1ad1427e5b849c32046353a97ff0aa41325f18885f8ba441e1d');
INSERT INTO records VALUES (39, 1, 'NL-000039', 'ef2f7f5ae7189beb638405c23da89108563e05f359c976c561960829006cbd0a');
INSERT INTO records VALUES (40, 1, 'NL-000040', '24ffa67d488ee90deb1b1ad267d9a5566af6c7877ff87f7a73a66760b88321e7');


--
-- Data for Name: seen_queries; Type: TABLE DATA; Schema: -; Owner: -
--

INSERT INTO seen_queries VALUES ('answer', '5ec946e3355e3bc8c10a2e94ad0358e7', '2026-12-01 20:01:42.099+00');
INSERT INTO seen_queries VALUES ('filter:watchlist', '5ec946e3355e3bc8c10a2e94ad0358e7', '2026-12-01 20:01:42.099+00');


--
-- Name: datasets_id_seq; Type: SEQUENCE SET; Schema: -; Owner: -
--

SELECT pg_catalog.setval('datasets_id_seq', 1, true);


--
-- Name: identifiers_id_seq; Type: SEQUENCE SET; Schema: -; Owner: -
--

SELECT pg_catalog.setval('identifiers_id_seq', 287, true);


--
-- Name: match_keys_id_seq; Type: SEQUENCE SET; Schema: -; Owner: -
--

SELECT pg_catalog.setval('match_keys_id_seq', 837, true);


--
-- Name: records_id_seq; Type: SEQUENCE SET; Schema: -; Owner: -
--

SELECT pg_catalog.setval('records_id_seq', 40, true);


--
-- Name: agreement_usage pk_agreement_usage; Type: CONSTRAINT; Schema: -; Owner: -
--

ALTER TABLE ONLY agreement_usage
    ADD CONSTRAINT pk_agreement_usage PRIMARY KEY (partner, period);


--
-- Name: agreements pk_agreements; Type: CONSTRAINT; Schema: -; Owner: -
--

ALTER TABLE ONLY agreements
    ADD CONSTRAINT pk_agreements PRIMARY KEY (partner);


--
-- Name: datasets pk_datasets; Type: CONSTRAINT; Schema: -; Owner: -
--

ALTER TABLE ONLY datasets
    ADD CONSTRAINT pk_datasets PRIMARY KEY (id);


--
-- Name: filters pk_filters; Type: CONSTRAINT; Schema: -; Owner: -
--

ALTER TABLE ONLY filters
    ADD CONSTRAINT pk_filters PRIMARY KEY (dataset_id, version);


--
-- Name: identifiers pk_identifiers; Type: CONSTRAINT; Schema: -; Owner: -
--

ALTER TABLE ONLY identifiers
    ADD CONSTRAINT pk_identifiers PRIMARY KEY (id);


--
-- Name: key_epochs pk_key_epochs; Type: CONSTRAINT; Schema: -; Owner: -
--

ALTER TABLE ONLY key_epochs
    ADD CONSTRAINT pk_key_epochs PRIMARY KEY (dataset_id, epoch);


--
-- Name: key_rotation_claims pk_key_rotation_claims; Type: CONSTRAINT; Schema: -; Owner: -
--

ALTER TABLE ONLY key_rotation_claims
    ADD CONSTRAINT pk_key_rotation_claims PRIMARY KEY (dataset_id);


--
-- Name: ledger_entries pk_ledger_entries; Type: CONSTRAINT; Schema: -; Owner: -
--

ALTER TABLE ONLY ledger_entries
    ADD CONSTRAINT pk_ledger_entries PRIMARY KEY (seq);


--
-- Name: local_users pk_local_users; Type: CONSTRAINT; Schema: -; Owner: -
--

ALTER TABLE ONLY local_users
    ADD CONSTRAINT pk_local_users PRIMARY KEY (name);


--
-- Name: match_keys pk_match_keys; Type: CONSTRAINT; Schema: -; Owner: -
--

ALTER TABLE ONLY match_keys
    ADD CONSTRAINT pk_match_keys PRIMARY KEY (id);


--
-- Name: records pk_records; Type: CONSTRAINT; Schema: -; Owner: -
--

ALTER TABLE ONLY records
    ADD CONSTRAINT pk_records PRIMARY KEY (id);


--
-- Name: seen_queries pk_seen_queries; Type: CONSTRAINT; Schema: -; Owner: -
--

ALTER TABLE ONLY seen_queries
    ADD CONSTRAINT pk_seen_queries PRIMARY KEY (scope, query_id);


--
-- Name: datasets uq_datasets_name; Type: CONSTRAINT; Schema: -; Owner: -
--

ALTER TABLE ONLY datasets
    ADD CONSTRAINT uq_datasets_name UNIQUE (name);


--
-- Name: identifiers uq_identifiers_record_id_kind_position; Type: CONSTRAINT; Schema: -; Owner: -
--

ALTER TABLE ONLY identifiers
    ADD CONSTRAINT uq_identifiers_record_id_kind_position UNIQUE (record_id, kind, "position");


--
-- Name: match_keys uq_match_keys_record_id_value; Type: CONSTRAINT; Schema: -; Owner: -
--

ALTER TABLE ONLY match_keys
    ADD CONSTRAINT uq_match_keys_record_id_value UNIQUE (record_id, value);


--
-- Name: records uq_records_dataset_id_ref; Type: CONSTRAINT; Schema: -; Owner: -
--

ALTER TABLE ONLY records
    ADD CONSTRAINT uq_records_dataset_id_ref UNIQUE (dataset_id, ref);


--
-- Name: ix_ledger_entries_query_id; Type: INDEX; Schema: -; Owner: -
--

CREATE INDEX ix_ledger_entries_query_id ON ledger_entries USING btree (query_id);


--
-- Name: ix_match_keys_dataset_id_value; Type: INDEX; Schema: -; Owner: -
--

CREATE INDEX ix_match_keys_dataset_id_value ON match_keys USING btree (dataset_id, value);


--
-- Name: ix_seen_queries_expires_at; Type: INDEX; Schema: -; Owner: -
--

CREATE INDEX ix_seen_queries_expires_at ON seen_queries USING btree (expires_at);


--
-- Name: filters fk_filters_dataset_id_datasets; Type: FK CONSTRAINT; Schema: -; Owner: -
--

ALTER TABLE ONLY filters
    ADD CONSTRAINT fk_filters_dataset_id_datasets FOREIGN KEY (dataset_id) REFERENCES datasets(id) ON DELETE CASCADE;


--
-- Name: identifiers fk_identifiers_record_id_records; Type: FK CONSTRAINT; Schema: -; Owner: -
--

ALTER TABLE ONLY identifiers
    ADD CONSTRAINT fk_identifiers_record_id_records FOREIGN KEY (record_id) REFERENCES records(id) ON DELETE CASCADE;


--
-- Name: key_epochs fk_key_epochs_dataset_id_datasets; Type: FK CONSTRAINT; Schema: -; Owner: -
--

ALTER TABLE ONLY key_epochs
    ADD CONSTRAINT fk_key_epochs_dataset_id_datasets FOREIGN KEY (dataset_id) REFERENCES datasets(id) ON DELETE CASCADE;


--
-- Name: key_rotation_claims fk_key_rotation_claims_dataset_id_datasets; Type: FK CONSTRAINT; Schema: -; Owner: -
--

ALTER TABLE ONLY key_rotation_claims
    ADD CONSTRAINT fk_key_rotation_claims_dataset_id_datasets FOREIGN KEY (dataset_id) REFERENCES datasets(id) ON DELETE CASCADE;


--
-- Name: match_keys fk_match_keys_dataset_id_datasets; Type: FK CONSTRAINT; Schema: -; Owner: -
--

ALTER TABLE ONLY match_keys
    ADD CONSTRAINT fk_match_keys_dataset_id_datasets FOREIGN KEY (dataset_id) REFERENCES datasets(id) ON DELETE CASCADE;


--
-- Name: match_keys fk_match_keys_record_id_records; Type: FK CONSTRAINT; Schema: -; Owner: -
--

ALTER TABLE ONLY match_keys
    ADD CONSTRAINT fk_match_keys_record_id_records FOREIGN KEY (record_id) REFERENCES records(id) ON DELETE CASCADE;


--
-- Name: records fk_records_dataset_id_datasets; Type: FK CONSTRAINT; Schema: -; Owner: -
--

ALTER TABLE ONLY records
    ADD CONSTRAINT fk_records_dataset_id_datasets FOREIGN KEY (dataset_id) REFERENCES datasets(id) ON DELETE CASCADE;


--
-- PostgreSQL database dump complete
--


