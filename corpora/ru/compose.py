"""Compose the Russian labelled corpora from sentences written for them.

    python corpora/ru/compose.py            # writes corpora/ru/labelled.jsonl and corpora/ru/holdout.jsonl

Each reply is put together from hand-written parts (a greeting, sentences about one business, at
most two problem sentences of known categories, look-alike sentences that must pass, a closing, a
sign-off), so its labels follow from the parts: `expect` is true for a category when a problem
sentence of it is in the reply, and for missing-closing when an e-mail (a greeting or sign-off)
has no closing sentence. The holdout uses its own sentences, names and businesses, written apart
from the tuning set and never used to tune the rules. The draw is seeded, so the files are stable.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

HERE = Path(__file__).resolve().parent

# (category, sentence, the substring a finding must overlap)
Problem = tuple[str, str, str]
# (category, sentence, the substring no finding of that category may overlap)
LookAlike = tuple[str, str, str]

TUNING = {
    "names": [
        "Анна",
        "Игорь",
        "Ольга",
        "Дмитрий",
        "Марина",
        "Сергей",
        "Елена",
        "Павел",
        "Наталья",
        "Алексей",
        "Ирина",
        "Виктор",
        "Татьяна",
        "Роман",
        "Юлия",
    ],
    "agents": ["Мария", "Константин", "Светлана", "Артём", "Ксения", "Григорий", "Вера", "Никита"],
    "businesses": {
        "магазин одежды «Север»": [
            "Ваш заказ собран и передан в службу доставки.",
            "Куртку можно обменять на другой размер в любом нашем магазине.",
            "Возврат за платье оформлен, деньги придут на карту, с которой вы платили.",
            "Размерная сетка у этой модели немного меньше обычной.",
        ],
        "интернет-провайдер «Связь+»": [
            "Мы проверили линию: сигнал до вашего дома доходит без потерь.",
            "Тариф «Домашний» включает скорость до 500 Мбит/с.",
            "Плата за март списана один раз, повторного списания не было.",
            "Роутер лучше поставить ближе к центру квартиры, там сигнал ровнее.",
        ],
        "банк «Кредо»": [
            "Перевод прошёл успешно, деньги уже на счёте получателя.",
            "Карта перевыпущена, её можно забрать в отделении на Ленина.",
            "Комиссия за обслуживание в этом месяце не списывалась.",
            "Лимит по карте можно изменить в приложении в разделе «Карты».",
        ],
        "служба доставки «Быстрее»": [
            "Посылка находится на сортировочном складе в Казани.",
            "Курьер закреплён за вашим заказом на интервал с 10 до 14 часов.",
            "Адрес доставки обновлён на улицу Гагарина, 12.",
            "Трек-номер вашей посылки: 4412-8870.",
        ],
        "онлайн-школа «Азбука»": [
            "Доступ к курсу открыт до конца учебного года.",
            "Запись вчерашнего урока уже в личном кабинете ученика.",
            "Преподаватель проверил домашнее задание и оставил комментарии.",
            "Оплата за второй модуль прошла, чек пришёл на почту.",
        ],
        "сервис бронирования «Путь»": [
            "Бронь в гостинице подтверждена на 12–15 мая.",
            "Билеты на поезд оформлены, их можно распечатать или показать с телефона.",
            "Стоимость номера включает завтрак.",
            "Отель принимает гостей с домашними животными.",
        ],
        "фитнес-клуб «Форма»": [
            "Абонемент заморожен на две недели, как вы просили.",
            "Групповые занятия по йоге проходят по вторникам и четвергам.",
            "Персональная тренировка перенесена на субботу, 11:00.",
            "Шкафчик за вами закреплён до конца месяца.",
        ],
    },
    "problems": [
        ("negative-language", "Нет, это невозможно.", "это невозможно"),
        ("negative-language", "К сожалению, мы ничего не можем сделать.", "ничего не можем сделать"),
        ("negative-language", "Мы не можем вернуть деньги за этот заказ.", "Мы не можем"),
        ("negative-language", "Я не в состоянии изменить ваш тариф.", "не в состоянии"),
        ("negative-language", "Вы должны прислать фото чека.", "Вы должны"),
        ("negative-language", "Вам придётся подождать до понедельника.", "Вам придётся"),
        ("negative-language", "Вам необходимо заново заполнить анкету.", "Вам необходимо"),
        ("negative-language", "Это против правил.", "против правил"),
        ("negative-language", "Наша политика не позволяет менять заказ после оплаты.", "политика не позволяет"),
        ("negative-language", "Это не мой отдел, пишите в бухгалтерию.", "не мой отдел"),
        ("negative-language", "Это не моя работа.", "не моя работа"),
        ("negative-language", "Я не знаю, когда это исправят.", "не знаю"),
        ("negative-language", "Вы сами виноваты, что не проверили адрес.", "сами виноваты"),
        ("negative-language", "Нужно было сразу прочитать условия.", "Нужно было сразу"),
        ("negative-language", "У нас нет возможности отправить курьера повторно.", "нет возможности"),
        ("passive-aggressive", "Как я уже писала, возврат занимает до десяти дней.", "Как я уже писала"),
        ("passive-aggressive", "Как мы уже сообщали, акция закончилась.", "Как мы уже сообщали"),
        ("passive-aggressive", "Ещё раз повторяю: без чека обмен невозможен.", "Ещё раз повторяю"),
        ("passive-aggressive", "Это описано в пункте 4.2 договора.", "описано в пункте"),
        ("passive-aggressive", "Прочитайте внимательно инструкцию.", "Прочитайте внимательно инструкцию"),
        ("passive-aggressive", "А может, проблема в вас?", "проблема в вас"),
        ("passive-aggressive", "Боюсь, вы не поймёте, как это устроено.", "вы не поймёте"),
        ("passive-aggressive", "Мой начальник скажет вам то же самое.", "начальник скажет вам то же самое"),
        ("passive-aggressive", "Очевидно, кнопка находится справа.", "Очевидно"),
        ("passive-aggressive", "Просто нажмите кнопку «Оплатить».", "Просто нажмите"),
        ("passive-aggressive", "Доводим до вашего сведения, что заявка закрыта.", "Доводим до вашего сведения"),
        ("passive-aggressive", "Возврат будет произведён в установленном порядке.", "в установленном порядке"),
        ("passive-aggressive", "У нас сейчас очень много обращений.", "много обращений"),
        ("jargon", "Я эскалировала ваш вопрос.", "эскалировала"),
        ("jargon", "Ваш тикет передан на вторую линию.", "тикет"),
        ("jargon", "Мы пофиксили баг в приложении.", "пофиксили"),
        ("jargon", "Исправление задеплоим завтра утром.", "задеплоим"),
        ("jargon", "Зайдите в ЛК и обновите данные.", "ЛК"),
        ("jargon", "Почистите кэш браузера.", "кэш"),
        ("jargon", "По вашему кейсу пока нет новостей.", "кейсу"),
        ("template-leftover", "Ваш заказ <номер заказа> уже в пути.", "<номер заказа>"),
        ("template-leftover", "Сумма к возврату — ХХХ рублей.", "ХХХ"),
        ("template-leftover", "Менеджер [имя менеджера] свяжется с вами.", "[имя менеджера]"),
        ("template-leftover", "Ваш номер обращения — {{ticket.id}}.", "{{ticket.id}}"),
    ],
    "look_alikes": [
        ("negative-language", "Нет проблем, всё уже исправили.", "Нет проблем"),
        ("negative-language", "Не за что, рады были помочь.", "Не за что"),
        ("negative-language", "Не беспокойтесь, заказ в пути.", "Не беспокойтесь"),
        ("negative-language", "Ничего страшного, такое бывает.", "Ничего страшного"),
        ("negative-language", "Вам не нужно ничего делать: деньги вернутся сами.", "Вам не нужно ничего делать"),
        (
            "negative-language",
            "Пока не можем вернуть деньги на карту, но можем предложить бонусы на ту же сумму.",
            "не можем вернуть",
        ),
        ("negative-language", "Если вы забыли пароль, нажмите «Восстановить».", "вы забыли"),
        ("negative-language", "Это не ваша вина, сбой был на нашей стороне.", "не ваша вина"),
        ("passive-aggressive", "Как вы и писали, посылка пришла помятой.", "Как вы и писали"),
        ("passive-aggressive", "Ещё раз спасибо за терпение.", "Ещё раз спасибо"),
        ("passive-aggressive", "Это не так просто, поэтому опишу по шагам.", "не так просто"),
        ("jargon", "Зайдите в личный кабинет (ЛК) и обновите данные.", "ЛК"),
        ("template-leftover", "Размер XXL снова в наличии.", "XXL"),
    ],
    "closings": [
        "Если появятся вопросы, просто ответьте на это письмо.",
        "Если останутся вопросы, пишите, будем рады помочь.",
        "Я проверю статус в пятницу и напишу вам.",
        "Подходит ли вам такой вариант?",
        "Обращайтесь, если что-то понадобится.",
        "Мы свяжемся с вами, как только посылка придёт на склад.",
    ],
    "signoffs": [
        "С уважением,\n{agent}",
        "Всего доброго,\n{agent}, {company}",
        "Хорошего дня!\n{agent}",
        "С уважением,\n{agent}\nСлужба поддержки, {company}",
    ],
    "greetings": ["Здравствуйте, {name}!", "Добрый день, {name}.", "Здравствуйте!", "Доброе утро, {name}!"],
}

HOLDOUT = {
    "names": ["Валерия", "Борис", "Полина", "Георгий", "Людмила", "Тимур", "Вероника", "Степан", "Зоя", "Олег"],
    "agents": ["Алина", "Фёдор", "Дарья", "Илья", "Екатерина"],
    "businesses": {
        "аптека «Здоровье»": [
            "Лекарство есть в наличии в аптеке на Садовой.",
            "Заказ можно забрать с паспортом до конца недели.",
            "Скидка по карте постоянного покупателя применена.",
        ],
        "мобильный оператор «Волна»": [
            "Пакет интернета продлён на следующий месяц.",
            "Роуминг в Турции подключён с сегодняшнего дня.",
            "Номер перенесён к нам от прежнего оператора.",
        ],
        "мебельная фабрика «Дом»": [
            "Шкаф изготовлен и ждёт отгрузки на складе.",
            "Сборка входит в стоимость доставки.",
            "Фасады того же оттенка, что на образце.",
        ],
        "авиакомпания «Небо»": [
            "Рейс вылетает по расписанию в 7:40.",
            "Место у окна закреплено за вами.",
            "Багаж до 23 кг входит в ваш тариф.",
        ],
        "сервис доставки еды «Вкусно»": [
            "Ресторан получил ваш заказ и начал готовить.",
            "Промокод действует на первые три заказа.",
            "Курьер уже забрал пиццу из ресторана.",
        ],
    },
    "problems": [
        ("negative-language", "Нет, так сделать нельзя.", "так сделать нельзя"),
        ("negative-language", "Мы не сможем перенести дату доставки.", "Мы не сможем"),
        ("negative-language", "Вы обязаны предъявить паспорт.", "Вы обязаны"),
        ("negative-language", "Вам нужно будет приехать в офис лично.", "Вам нужно будет"),
        ("negative-language", "Так не положено.", "не положено"),
        ("negative-language", "Это вопрос не ко мне.", "не ко мне"),
        ("negative-language", "Понятия не имею, почему так вышло.", "Понятия не имею"),
        ("negative-language", "Вам следовало написать раньше.", "Вам следовало"),
        ("negative-language", "Вы забыли указать номер квартиры.", "Вы забыли"),
        ("passive-aggressive", "Как я уже объяснял, тариф меняется с первого числа.", "Как я уже объяснял"),
        ("passive-aggressive", "В который раз объясняю, как сменить пароль.", "В который раз"),
        ("passive-aggressive", "Ознакомьтесь с офертой на сайте.", "Ознакомьтесь с офертой"),
        ("passive-aggressive", "Видимо, проблема на вашей стороне.", "проблема на вашей стороне"),
        ("passive-aggressive", "Всё очень просто: откройте настройки.", "Всё очень просто"),
        ("passive-aggressive", "Настоящим уведомляем вас об изменении тарифа.", "Настоящим уведомляем"),
        ("passive-aggressive", "Я не успеваю отвечать всем сразу.", "не успеваю"),
        ("jargon", "Заявку заэскалировали на третью линию.", "заэскалировали"),
        ("jargon", "Фичу выкатим в следующем релизе.", "Фичу"),
        ("jargon", "Документы придут через ЭДО.", "ЭДО"),
        ("jargon", "Пришлите, пожалуйста, логи из приложения.", "логи"),
        ("template-leftover", "Здравствуйте, [Имя клиента]! Заказ готов.", "[Имя клиента]"),
        ("template-leftover", "Доставка запланирована на ХХ.ХХ.ХХХХ.", "ХХ.ХХ.ХХХХ"),
        ("template-leftover", "Ваш промокод: %{promo.code}.", "%{promo.code}"),
    ],
    "look_alikes": [
        ("negative-language", "Не переживайте, всё в порядке.", "Не переживайте"),
        ("negative-language", "Вам не придётся платить за доставку.", "Вам не придётся"),
        ("negative-language", "Мы не можем дождаться вашего отзыва!", "Мы не можем"),
        ("negative-language", "Сейчас мы не можем продлить акцию, зато можем дать скидку 10%.", "не можем продлить"),
        ("negative-language", "Никаких проблем, поменяем.", "Никаких проблем"),
        ("passive-aggressive", "Как мы и обещали, деньги вернулись на карту.", "Как мы и обещали"),
        ("passive-aggressive", "Проверьте, пожалуйста, ещё раз папку «Спам».", "ещё раз"),
        ("jargon", "Зайдите в личный кабинет на сайте.", "личный кабинет"),
        ("template-leftover", "Код купона — SALE2024, размер XL есть в наличии.", "XL"),
    ],
    "closings": [
        "Если возникнут вопросы, напишите мне.",
        "Будем рады помочь, если понадобится что-то ещё.",
        "Я уточню на складе и вернусь к вам до вечера.",
        "Удобно ли вам получить заказ завтра?",
    ],
    "signoffs": ["С уважением,\n{agent}", "Всего хорошего,\n{agent}", "С наилучшими пожеланиями,\n{agent}, {company}"],
    "greetings": ["Добрый вечер, {name}!", "Здравствуйте, {name}.", "Приветствую, {name}!"],
}


def compose(parts: dict, count: int, seed: int, prefix: str) -> list[dict]:
    rng = random.Random(seed)
    rows = []
    for index in range(count):
        company, facts = rng.choice(list(parts["businesses"].items()))
        name, agent = rng.choice(parts["names"]), rng.choice(parts["agents"])
        kind = index % 3  # 0: good reply full of look-alikes, 1 and 2: one or two problems
        problems: list[Problem] = [] if kind == 0 else rng.sample(parts["problems"], kind)
        alikes: list[LookAlike] = rng.sample(parts["look_alikes"], 2 if kind == 0 else rng.randint(0, 1))
        chat = rng.random() < 0.15
        closing = None if rng.random() < (0.15 if kind == 0 else 0.3) else rng.choice(parts["closings"])
        body = rng.sample(facts, rng.randint(1, 2)) + [p[1] for p in problems] + [a[1] for a in alikes]
        rng.shuffle(body)
        if closing:
            body.append(closing)
        if chat:
            text = " ".join(body[:2])  # a chat turn: two sentences at most
        else:
            greeting = rng.choice(parts["greetings"]).format(name=name)
            signoff = rng.choice(parts["signoffs"]).format(agent=agent, company=company)
            text = greeting + "\n\n" + " ".join(body) + "\n\n" + signoff
        kept = [p for p in problems if p[1] in text]
        kept_alikes = [a for a in alikes if a[1] in text]
        expect = dict.fromkeys(CATEGORIES, False)
        for category, _, _ in kept:
            expect[category] = True
        # a question in the last two sentences invites a reply, which is a closing too
        asks = any(sentence.rstrip().endswith("?") for sentence in body[-2:])
        expect["missing-closing"] = not chat and not (closing and closing in text) and not asks
        rows.append(
            {
                "id": f"{prefix}-{index + 1:03d}",
                "mode": "draft",
                "text": text,
                "expect": expect,
                "must_flag": [[c, s] for c, _, s in kept]
                + ([["missing-closing", ""]] if expect["missing-closing"] else []),
                "must_not_flag": [[c, s] for c, _, s in kept_alikes],
            }
        )
    return rows


CATEGORIES = ("negative-language", "passive-aggressive", "jargon", "template-leftover", "missing-closing")


def main() -> None:
    for name, parts, count, seed, prefix in (
        ("labelled.jsonl", TUNING, 240, 16, "ru"),
        ("holdout.jsonl", HOLDOUT, 120, 61, "ru-h"),
    ):
        rows = compose(parts, count, seed, prefix)
        with (HERE / name).open("w", encoding="utf-8") as out:
            for row in rows:
                out.write(json.dumps(row, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
